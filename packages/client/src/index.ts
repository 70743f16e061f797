import { AgoraRTM } from './agora-rtm.js';

export default AgoraRTM;
export { AgoraRTM };
export { RtmClient } from './rtm-client.js';
export type { RtmClientEvents } from './rtm-client.js';
export { RtmChannel } from './rtm-channel.js';
export type { RtmChannelEvents, ChannelAttributes, ChannelAttributeProperties } from './rtm-channel.js';
export type {
  RtmMessage,
  RtmTextMessage,
  RtmRawMessage,
  ReceivedMessageProperties,
  SendMessageOptions,
  PeerMessageSendResult,
} from './messages.js';
export type { MediaTransferHandler, MediaOperationProgress } from './media-transfer.js';
export type { MediaFileParams, MediaImageParams } from './media.js';
export type { RtmFileMessage, RtmImageMessage } from './messages.js';
export { LocalInvitation } from './local-invitation.js';
export type { LocalInvitationEvents } from './local-invitation.js';
export { RemoteInvitation } from './remote-invitation.js';
export type { RemoteInvitationEvents } from './remote-invitation.js';
export type { AttributesMap } from './user-attributes.js';
export type { ChannelAttributeOptions } from './channel-attributes.js';
export type { PeersOnlineStatusMap, PeersOnlineStatusResult } from './presence.js';
export {
  LOG_FILTER_OFF,
  LOG_FILTER_ERROR,
  LOG_FILTER_WARNING,
  LOG_FILTER_INFO,
  LOG_FILTER_DEBUG,
} from './config.js';
export type { RtmConfig, RtmParameters, LogFilterType } from './config.js';
export {
  RtmError,
  RtmInvalidArgumentError,
  RtmInvalidStatusError,
  RtmLimitExceededError,
  RtmInvokeTooOftenError,
  RtmTimeoutError,
  RtmUnavailableError,
  RtmUnauthenticatedError,
  RtmUnknownError,
  RtmInternalError,
} from './errors.js';
export type { RtmStatusCode, RtmEvents } from './compat-types.js';
export { socketIoTransport } from './transport.js';
export { webSocketTransport } from './web-socket-transport.js';
export type { Transport, TransportSocket, TransportOptions } from './transport.js';
export {
  ConnectionState,
  ConnectionChangeReason,
  LocalInvitationState,
  LocalInvitationFailureReason,
  RemoteInvitationState,
  RemoteInvitationFailureReason,
  MessageType,
  PeerOnlineState,
  PeerSubscriptionOption,
  AreaCode,
  LegacyAreaCode,
  RtmErrorCode,
  // The limits a server enforces by default (spec §10) and the client's timeouts, for layers
  // above the client (the store batches and paces its calls by them).
  DEFAULT_LIMITS,
  DEFAULT_CLIENT_TIMING,
} from '@rtm-kit/protocol';
export type { Limits, ClientTiming } from '@rtm-kit/protocol';
