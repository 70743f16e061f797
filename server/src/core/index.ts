export { createCore } from './core.js';
export type { Core, CoreOptions, MediaCoreOptions } from './core.js';
export { systemClock } from './clock.js';
export type { Clock, TimerHandle } from './clock.js';
export type { Router } from './router.js';
export type { Store, SessionStore, SessionRecord, SessionEnd, EndedSession, EndConditions } from './store.js';
export type { SessionActor } from './sessions/store.js';
export { AppRegistry } from './auth.js';
export type { AppConfig, TokenVerifier, TokenCheck } from './auth.js';
export { CoreError } from './errors.js';
export { SessionService } from './sessions/session-service.js';
export type { LoginCheck } from './sessions/session-service.js';
export { serverSender, isServerSender } from './server-sender.js';
export type { SessionLifecycleListener } from './sessions/lifecycle.js';
export { PeerService } from './peer/peer-service.js';
export { heldMessageBytes, HELD_MESSAGE_OVERHEAD_BYTES } from './peer/peer-store.js';
export type { PeerStore, HeldPeerMessage, OfflineHoldCaps, OfflineHoldResult } from './peer/peer-store.js';
export type { SendLedgerStore, SendClaim, SendOutcome } from './messaging/send-ledger-store.js';
export { ChannelService } from './channels/channel-service.js';
export type { ChannelStore, ChannelJoin, StoredChannelMessage } from './channels/channel-store.js';
export type { ChannelLifecycleListener } from './channels/lifecycle.js';
export { UserAttributeService } from './attributes/user-attribute-service.js';
export { ChannelAttributeService } from './attributes/channel-attribute-service.js';
export type { ChannelOccupancy } from './attributes/channel-attribute-service.js';
export type {
  UserAttributeStore,
  ChannelAttributeStore,
  AttributeWrite,
  StoredAttributeCaps,
  StoredChannelAttribute,
  UserAttributeWriteResult,
  ChannelAttributeWriteResult,
} from './attributes/store.js';
export { PresenceService } from './presence/presence-service.js';
export type { PresenceActor, PresenceConnectionActor } from './presence/presence-service.js';
export type { PresenceStore, PresenceStep, AddSubscriptionsResult } from './presence/store.js';
export { InvitationService } from './invitations/invitation-service.js';
export type { InvitationStore, InvitationRecord, InvitationPatch, CreateInvitationResult } from './invitations/store.js';
export { MediaService } from './media/media-service.js';
export type { MediaCredentials, MediaPrincipal, MediaDownload, MediaDirection, MediaServiceDeps } from './media/media-service.js';
export type { MediaStorage, StoredMedia, PendingUpload, MediaQuota, BeginUploadResult } from './media/media-storage.js';
export { MemoryMediaSlotStore } from './media/media-slots.js';
export type { MediaSlotStore } from './media/media-slots.js';
export { detectContentType } from './media/content-type.js';
export type { ServiceContext, CoreLog } from './context.js';
export { TimerScheduler, deadlineKey, parseDeadlineKey } from './scheduler.js';
export type { Scheduler, DeadlineHandler } from './scheduler.js';
export { RateLimiter, DistinctRateLimiter } from './rate-limits.js';
export type { RateLimitStore } from './rate-limits.js';
