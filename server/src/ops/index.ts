export { createAdminClient, AdminApiError } from './admin/client.js';
export type { AdminClient, AdminAppClient, AdminMessage, ChannelAttributeView, SessionView } from './admin/client.js';
export { MemoryBanStore, MAX_BAN_SECONDS } from './admin/bans.js';
export type { BanStore } from './admin/bans.js';
export { ADMIN_ROUTES, OPENAPI_PATH } from './admin/admin-api.js';
export { createServerLogger } from './logging/server-logger.js';
export type { ServerLoggerOptions } from './logging/server-logger.js';
export { DEFAULT_DRAIN_TIMEOUT_MS } from './health/drain.js';
