/**
 * `@rtm-kit/server/in-process`: an rtm-kit server inside the current process, for tests of apps and
 * for a browser tab (Storybook). Nothing here imports socket.io's server, Node built-ins or
 * `agora-token`, so a browser bundle can include it.
 */
export { createInProcessServer, IN_PROCESS_SERVER_URL } from './server.js';
export type { InProcessServer, InProcessServerOptions, InProcessTransport } from './server.js';
export type { InProcessSocket, InProcessTransportOptions } from './client-socket.js';
export { MemoryMediaStorage } from './memory-media-storage.js';
export type { FetchFunction } from './media-fetch.js';
export { createManualClock } from '../manual-clock.js';
export type { ManualClock } from '../manual-clock.js';
export { MemoryStore } from '../../stores/memory/index.js';
export { DEFAULT_LIMITS, DEFAULT_TIMING } from '@rtm-kit/protocol';
export type { Limits, Timing } from '@rtm-kit/protocol';
export type { Core, Clock, Store, TokenVerifier, MediaStorage } from '../../core/index.js';
export type { Logger } from '../../binding/requests.js';
