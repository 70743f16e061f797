import { AgoraRTM } from './agora-rtm.js';

export default AgoraRTM;
export { AgoraRTM };
export { RtmClient } from './rtm-client.js';
export type { RtmClientEvents } from './rtm-client.js';
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
export { socketIoTransport } from './transport.js';
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
} from '@rtm-kit/protocol';
