export { startServer } from './start-server.js';
export type { ServerOptions, RtmServer } from './start-server.js';
export { MemoryStore } from './stores/memory/index.js';
export { accessToken2Verifier } from './auth/access-token2.js';
export type { Logger } from './binding/requests.js';
export type { Store, Clock, Core, SessionRecord } from './core/index.js';
export { DEFAULT_LIMITS, DEFAULT_TIMING } from '@rtm-kit/protocol';
export type { Limits, Timing } from '@rtm-kit/protocol';
