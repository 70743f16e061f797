export {
  ConnectionState,
  ConnectionChangeReason,
  PeerOnlineState,
  PeerSubscriptionOption,
  MessageType,
  LocalInvitationState,
  RemoteInvitationState,
  LocalInvitationFailureReason,
  RemoteInvitationFailureReason,
  AreaCode,
  LegacyAreaCode,
  NativeEnumValue,
} from './enums.js';
// Every 1.x error group, RtmErrorCode (all of them), errorCodeOf and their types.
export * from './error-codes.js';
export {
  DEFAULT_LIMITS,
  DEFAULT_TIMING,
  DEFAULT_CLIENT_TIMING,
  resolveLimits,
  resolveTiming,
} from './limits.js';
export type { Limits, Timing, ClientTiming, RateLimit } from './limits.js';
export { isValidId, isValidUserId, isValidChannelId, isValidAppId, utf8ByteLength } from './identifiers.js';
export { SlidingWindow, KeyedSlidingWindows } from './rate-limit.js';
export { peerIdsProblem, channelIdsProblem } from './arguments.js';
export type { ArgumentProblem } from './arguments.js';
export { memberCountDelayMs } from './member-count.js';
export type { Ack, WireError, Request } from './ack.js';
export { PROTOCOL_VERSION } from './events/index.js';
export type {
  AuthPayload,
  ConnectErrorData,
  SessionEndReason,
  SessionReady,
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData,
  ClientEventName,
  ServerEventName,
  RequestPayload,
  RequestResult,
  ServerEventArgs,
} from './events/index.js';
export { REQUEST_ERRORS } from './events/errors.js';
export { MEDIA_HTTP, MEDIA_ID_PATTERN } from './events/media.js';
export type { MediaInfo, MediaUploadProgress, MediaUploadStarted } from './events/media.js';
export type { RequestErrorCodes } from './events/errors.js';
export type { PeerSendPayload, PeerSendResult, PeerMessageDelivery, PeerFetchPayload, PeerFetchResult } from './events/peer.js';
export type {
  ChannelJoinResult,
  ChannelSendPayload,
  ChannelMessageDelivery,
  ChannelResumePayload,
  ChannelResumeResult,
  MemberCountThrottle,
} from './events/channel.js';
export type { ChannelAttributeWire, ChannelAttributesUpdate } from './events/attributes.js';
export type { PresenceSnapshot, PresenceChange } from './events/presence.js';
export type {
  InvitationPhase,
  CallerInvitationView,
  CalleeInvitationView,
  IncomingInvitation,
} from './events/invitation.js';
export {
  RESERVED_ATTRIBUTE_KEYS,
  userAttributeCaps,
  channelAttributeCaps,
  attributeKeyProblem,
  attributeKeysProblem,
  attributeEntriesProblem,
  storedAttributesProblem,
  attributesByteSize,
  attributesMapEntries,
} from './attributes.js';
export type { AttributeEntry, AttributeCaps, AttributeProblem, AttributeProblemCode } from './attributes.js';
export { wireMessageSize } from './models/message.js';
export type { WireMessage, WireTextMessage, WireRawMessage, WireMediaMessage } from './models/message.js';
