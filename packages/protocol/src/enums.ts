/**
 * The string enums of agora-rtm-sdk 1.x (`RtmStatusCode`). On the Web the value of each member
 * equals its name; the native SDKs use numbers, kept here as lookups for cross-platform mapping.
 */

function stringEnum<const K extends string>(keys: readonly K[]): { readonly [P in K]: P } {
  return Object.freeze(Object.fromEntries(keys.map((k) => [k, k]))) as { readonly [P in K]: P };
}

export const ConnectionState = stringEnum([
  'DISCONNECTED',
  'CONNECTING',
  'CONNECTED',
  'RECONNECTING',
  'ABORTED',
]);
export type ConnectionState = keyof typeof ConnectionState;

export const ConnectionChangeReason = stringEnum([
  'LOGIN',
  'LOGIN_SUCCESS',
  'LOGIN_FAILURE',
  'LOGIN_TIMEOUT',
  'INTERRUPTED',
  'LOGOUT',
  'BANNED_BY_SERVER',
  'REMOTE_LOGIN',
  'TOKEN_EXPIRED',
]);
export type ConnectionChangeReason = keyof typeof ConnectionChangeReason;

export const PeerOnlineState = stringEnum(['ONLINE', 'UNREACHABLE', 'OFFLINE']);
export type PeerOnlineState = keyof typeof PeerOnlineState;

export const PeerSubscriptionOption = stringEnum(['ONLINE_STATUS']);
export type PeerSubscriptionOption = keyof typeof PeerSubscriptionOption;

export const MessageType = stringEnum(['TEXT', 'RAW', 'FILE', 'IMAGE']);
export type MessageType = keyof typeof MessageType;

export const LocalInvitationState = stringEnum([
  'IDLE',
  'SENT_TO_REMOTE',
  'RECEIVED_BY_REMOTE',
  'ACCEPTED_BY_REMOTE',
  'REFUSED_BY_REMOTE',
  'CANCELED',
  'FAILURE',
]);
export type LocalInvitationState = keyof typeof LocalInvitationState;

export const RemoteInvitationState = stringEnum([
  'INVITATION_RECEIVED',
  'ACCEPT_SENT_TO_LOCAL',
  'REFUSED',
  'ACCEPTED',
  'CANCELED',
  'FAILURE',
]);
export type RemoteInvitationState = keyof typeof RemoteInvitationState;

export const LocalInvitationFailureReason = stringEnum([
  'UNKNOWN',
  'PEER_NO_RESPONSE',
  'INVITATION_EXPIRE',
  'PEER_OFFLINE',
  'NOT_LOGGEDIN',
]);
export type LocalInvitationFailureReason = keyof typeof LocalInvitationFailureReason;

export const RemoteInvitationFailureReason = stringEnum([
  'UNKNOWN',
  'PEER_OFFLINE',
  'ACCEPT_FAILURE',
  'INVITATION_EXPIRE',
]);
export type RemoteInvitationFailureReason = keyof typeof RemoteInvitationFailureReason;

/** 1.4.3+ area codes. Accepted and ignored by a self-hosted server. */
export const AreaCode = stringEnum([
  'GLOBAL',
  'INDIA',
  'JAPAN',
  'ASIA',
  'EUROPE',
  'CHINA',
  'NORTH_AMERICA',
]);
export type AreaCode = keyof typeof AreaCode;

/** Codes accepted by the deprecated third argument of `createInstance` (spec §1, §7.10). */
export const LegacyAreaCode = stringEnum([
  'CN',
  'NA',
  'EU',
  'AS',
  'JP',
  'IN',
  'GLOB',
  'OC',
  'SA',
  'AF',
  'OVS',
]);
export type LegacyAreaCode = keyof typeof LegacyAreaCode;

/** Native SDK numbers for the Web string enums (spec §7), for mapping to other platforms. */
export const NativeEnumValue = Object.freeze({
  ConnectionState: { DISCONNECTED: 1, CONNECTING: 2, CONNECTED: 3, RECONNECTING: 4, ABORTED: 5 },
  ConnectionChangeReason: {
    LOGIN: 1,
    LOGIN_SUCCESS: 2,
    LOGIN_FAILURE: 3,
    LOGIN_TIMEOUT: 4,
    INTERRUPTED: 5,
    LOGOUT: 6,
    BANNED_BY_SERVER: 7,
    REMOTE_LOGIN: 8,
    TOKEN_EXPIRED: 9,
  },
  PeerOnlineState: { ONLINE: 0, UNREACHABLE: 1, OFFLINE: 2 },
  PeerSubscriptionOption: { ONLINE_STATUS: 0 },
  MessageType: { TEXT: 1, RAW: 2, FILE: 3, IMAGE: 4 },
  LocalInvitationState: {
    IDLE: 0,
    SENT_TO_REMOTE: 1,
    RECEIVED_BY_REMOTE: 2,
    ACCEPTED_BY_REMOTE: 3,
    REFUSED_BY_REMOTE: 4,
    CANCELED: 5,
    FAILURE: 6,
  },
  RemoteInvitationState: {
    INVITATION_RECEIVED: 1,
    ACCEPT_SENT_TO_LOCAL: 2,
    REFUSED: 3,
    ACCEPTED: 4,
    CANCELED: 5,
    FAILURE: 6,
  },
  // The native enum has no UNKNOWN; it is 0 (`OK`) there, which no failure carries.
  LocalInvitationFailureReason: {
    UNKNOWN: 0,
    PEER_OFFLINE: 1,
    PEER_NO_RESPONSE: 2,
    INVITATION_EXPIRE: 3,
    NOT_LOGGEDIN: 4,
  },
  RemoteInvitationFailureReason: { UNKNOWN: 0, PEER_OFFLINE: 1, ACCEPT_FAILURE: 2, INVITATION_EXPIRE: 3 },
} as const);
