/**
 * Every `RtmErrorCode` group of agora-rtm-sdk 1.x with Agora's numbers (spec §8). Numbers repeat
 * across groups, so a code is only meaningful together with the operation that produced it.
 */

export const LoginError = {
  LOGIN_ERR_UNKNOWN: 1,
  LOGIN_ERR_REJECTED: 2,
  LOGIN_ERR_INVALID_ARGUMENT: 3,
  LOGIN_ERR_INVALID_APP_ID: 4,
  LOGIN_ERR_INVALID_TOKEN: 5,
  LOGIN_ERR_TOKEN_EXPIRED: 6,
  LOGIN_ERR_NOT_AUTHORIZED: 7,
  LOGIN_ERR_ALREADY_LOGIN: 8,
  LOGIN_ERR_TIMEOUT: 9,
  LOGIN_ERR_TOO_OFTEN: 10,
  LOGIN_ERR_ABORTED_BY_LOGOUT: 201,
} as const;

export const LogoutError = {
  LOGOUT_ERR_USER_NOT_LOGGED_IN: 102,
} as const;

export const RenewTokenError = {
  RENEW_TOKEN_ERR_FAILURE: 1,
  RENEW_TOKEN_ERR_INVALID_ARGUMENT: 2,
  RENEW_TOKEN_ERR_REJECTED: 3,
  RENEW_TOKEN_ERR_TOO_OFTEN: 4,
  RENEW_TOKEN_ERR_TOKEN_EXPIRED: 5,
  RENEW_TOKEN_ERR_INVALID_TOKEN: 6,
  RENEW_TOKEN_ERR_USER_NOT_LOGGED_IN: 102,
  RENEW_TOKEN_ERR_ABORTED_BY_LOGOUT: 201,
} as const;

export const JoinChannelError = {
  JOIN_CHANNEL_ERR_FAILURE: 1,
  JOIN_CHANNEL_ERR_REJECTED: 2,
  JOIN_CHANNEL_ERR_INVALID_ARGUMENT: 3,
  JOIN_CHANNEL_TIMEOUT: 4,
  JOIN_CHANNEL_ERR_EXCEED_LIMIT: 5,
  JOIN_CHANNEL_ERR_ALREADY_JOINED: 6,
  JOIN_CHANNEL_ERR_TOO_OFTEN: 7,
  JOIN_CHANNEL_ERR_JOIN_SAME_CHANNEL_TOO_OFTEN: 8,
  JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN: 102,
  JOIN_CHANNEL_ERR_ABORTED_BY_LEAVE: 201,
  JOIN_CHANNEL_ERR_ALREADY_JOINED_CHANNEL_OF_SAME_ID: 202,
} as const;

export const LeaveChannelError = {
  LEAVE_CHANNEL_ERR_FAILURE: 1,
  LEAVE_CHANNEL_ERR_REJECTED: 2,
  LEAVE_CHANNEL_ERR_NOT_IN_CHANNEL: 3,
  LEAVE_CHANNEL_ERR_KICKED: 4,
  LEAVE_CHANNEL_ERR_USER_NOT_LOGGED_IN: 102,
} as const;

export const PeerMessageError = {
  PEER_MESSAGE_ERR_FAILURE: 1,
  PEER_MESSAGE_ERR_TIMEOUT: 2,
  PEER_MESSAGE_ERR_TOO_OFTEN: 5,
  PEER_MESSAGE_ERR_INVALID_USERID: 6,
  PEER_MESSAGE_ERR_INVALID_MESSAGE: 7,
  PEER_MESSAGE_ERR_INCOMPATIBLE_MESSAGE: 8,
  PEER_MESSAGE_ERR_USER_NOT_LOGGED_IN: 102,
} as const;

export const ChannelMessageError = {
  CHANNEL_MESSAGE_ERR_FAILURE: 1,
  CHANNEL_MESSAGE_ERR_TIMEOUT: 2,
  CHANNEL_MESSAGE_ERR_TOO_OFTEN: 3,
  CHANNEL_MESSAGE_ERR_INVALID_MESSAGE: 4,
  CHANNEL_MESSAGE_ERR_NOT_IN_CHANNEL: 5,
  CHANNEL_MESSAGE_ERR_USER_NOT_LOGGED_IN: 102,
} as const;

export const AttributeOperationError = {
  ATTRIBUTE_OPERATION_ERR_FAILURE: 2,
  ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT: 3,
  ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW: 4,
  ATTRIBUTE_OPERATION_ERR_TOO_OFTEN: 5,
  ATTRIBUTE_OPERATION_ERR_USER_NOT_FOUND: 6,
  ATTRIBUTE_OPERATION_ERR_TIMEOUT: 7,
  ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN: 102,
} as const;

export const QueryPeersOnlineStatusError = {
  QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT: 2,
  QUERY_PEERS_ONLINE_STATUS_ERR_REJECTED: 3,
  QUERY_PEERS_ONLINE_STATUS_ERR_TIMEOUT: 4,
  QUERY_PEERS_ONLINE_STATUS_ERR_TOO_OFTEN: 5,
  QUERY_PEERS_ONLINE_STATUS_ERR_USER_NOT_LOGGED_IN: 102,
} as const;

export const PeerSubscriptionStatusError = {
  PEER_SUBSCRIPTION_STATUS_ERR_FAILURE: 1,
  PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT: 2,
  PEER_SUBSCRIPTION_STATUS_ERR_REJECTED: 3,
  PEER_SUBSCRIPTION_STATUS_ERR_TIMEOUT: 4,
  PEER_SUBSCRIPTION_STATUS_ERR_TOO_OFTEN: 5,
  PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW: 6,
  PEER_SUBSCRIPTION_STATUS_ERR_USER_NOT_LOGGED_IN: 102,
} as const;

export const QueryPeersBySubscriptionOptionError = {
  QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_FAILURE: 1,
  QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_TIMEOUT: 2,
  QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_TOO_OFTEN: 3,
  QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_USER_NOT_LOGGED_IN: 102,
} as const;

export const GetMembersError = {
  GET_MEMBERS_ERR_FAILURE: 1,
  GET_MEMBERS_ERR_REJECTED: 2,
  GET_MEMBERS_ERR_TIMEOUT: 3,
  GET_MEMBERS_ERR_TOO_OFTEN: 4,
  GET_MEMBERS_ERR_NOT_IN_CHANNEL: 5,
  GET_MEMBERS_ERR_USER_NOT_LOGGED_IN: 102,
} as const;

export const GetChannelMemberCountErrCode = {
  GET_CHANNEL_MEMBER_COUNT_ERR_FAILURE: 1,
  GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT: 2,
  GET_CHANNEL_MEMBER_COUNT_ERR_TOO_OFTEN: 3,
  GET_CHANNEL_MEMBER_COUNT_ERR_TIMEOUT: 4,
  GET_CHANNEL_MEMBER_COUNT_ERR_EXCEED_LIMIT: 5,
  GET_CHANNEL_MEMBER_COUNT_ERR_NOT_INITIALIZED: 101,
  GET_CHANNEL_MEMBER_COUNT_ERR_USER_NOT_LOGGED_IN: 102,
} as const;

export const InvitationApiCallError = {
  INVITATION_API_CALL_ERR_INVALID_ARGUMENT: 1,
  INVITATION_API_CALL_ERR_NOT_STARTED: 2,
  INVITATION_API_CALL_ERR_ALREADY_END: 3,
  INVITATION_API_CALL_ERR_ALREADY_ACCEPT: 4,
  INVITATION_API_CALL_ERR_ALREADY_SENT: 5,
} as const;

export const CreateInstanceError = {
  CREATE_INSTANCE_ERR_INVALID_ARGUMENT: 1,
} as const;

export const CreateChannelError = {
  CREATE_CHANNEL_ERR_INVALID_ARGUMENT: 1,
} as const;

export const UploadMediaError = {
  UPLOAD_MEDIA_ERR_FAILURE: 1,
  UPLOAD_MEDIA_ERR_INVALID_ARGUMENT: 2,
  UPLOAD_MEDIA_ERR_TIMEOUT: 3,
  UPLOAD_MEDIA_ERR_SIZE_OVERFLOW: 4,
  UPLOAD_MEDIA_ERR_CONCURRENCY_LIMIT_EXCEEDED: 5,
  UPLOAD_MEDIA_ERR_INTERRUPTED: 6,
  UPLOAD_MEDIA_ERR_NOT_LOGGED_IN: 102,
} as const;

export const DownloadMediaError = {
  DOWNLOAD_MEDIA_ERR_FAILURE: 1,
  DOWNLOAD_MEDIA_ERR_INVALID_ARGUMENT: 2,
  DOWNLOAD_MEDIA_ERR_TIMEOUT: 3,
  DOWNLOAD_MEDIA_ERR_NOT_EXIST: 4,
  DOWNLOAD_MEDIA_ERR_CONCURRENCY_LIMIT_EXCEEDED: 5,
  DOWNLOAD_MEDIA_ERR_INTERRUPTED: 6,
  DOWNLOAD_MEDIA_ERR_NOT_LOGGED_IN: 102,
} as const;

/** All groups, as the 1.1–1.3 `RtmErrorCode` global exposed them. */
export const RtmErrorCode = {
  LoginError,
  LogoutError,
  RenewTokenError,
  JoinChannelError,
  LeaveChannelError,
  PeerMessageError,
  ChannelMessageError,
  AttributeOperationError,
  QueryPeersOnlineStatusError,
  PeerSubscriptionStatusError,
  QueryPeersBySubscriptionOptionError,
  GetMembersError,
  GetChannelMemberCountErrCode,
  InvitationApiCallError,
  CreateInstanceError,
  CreateChannelError,
  UploadMediaError,
  DownloadMediaError,
} as const;

export type ErrorGroupName = keyof typeof RtmErrorCode;
type Groups = typeof RtmErrorCode;
/** The name of any error code, e.g. `"PEER_MESSAGE_ERR_TOO_OFTEN"`. */
export type ErrorCodeName = { [G in ErrorGroupName]: keyof Groups[G] }[ErrorGroupName] & string;
/** The names of one group's codes. */
export type ErrorCodeNameOf<G extends ErrorGroupName> = keyof Groups[G] & string;

const codeByName: Record<string, number> = Object.assign(
  {},
  ...Object.values(RtmErrorCode),
) as Record<string, number>;

/** The numeric code of an error name; names are unique across groups. */
export function errorCodeOf(name: ErrorCodeName): number {
  // Own properties only: a name from the wire such as `__proto__` is unknown, not Object.prototype.
  const code = Object.hasOwn(codeByName, name) ? codeByName[name] : undefined;
  if (typeof code !== 'number') throw new Error(`unknown error code name ${name}`);
  return code;
}
