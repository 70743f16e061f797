import type { Request } from '../ack.js';
import type { WireMessage } from '../models/message.js';
import type { RequestErrorCodes } from './request-errors.js';

/**
 * How often a client may report `MemberCountUpdated` for one channel (§3.1, §9.4). The server
 * sends it with every join so client and server throttle with the same (configurable) periods.
 */
export interface MemberCountThrottle {
  /** Up to `largeAbove` members. */
  readonly periodMs: number;
  /** Above `largeAbove` members. */
  readonly largePeriodMs: number;
  readonly largeAbove: number;
}

export interface ChannelJoinResult {
  /** Members right after the join, the joiner included. */
  readonly count: number;
  /**
   * The channel's message sequence at the moment of joining: the joiner receives exactly the
   * messages with a higher `seq`.
   */
  readonly seq: number;
  readonly throttle: MemberCountThrottle;
}

/** `channel:send`: a channel message (§3, §9.3). */
export interface ChannelSendPayload {
  /** Made by the sending client; a retry across a reconnect carries the same id (sent once). */
  readonly id: string;
  readonly channelId: string;
  readonly message: WireMessage;
}

/** A channel message as members get it. */
export interface ChannelMessageDelivery {
  readonly channelId: string;
  /** Per channel, increasing in the order members receive messages; used for replay. */
  readonly seq: number;
  readonly from: string;
  readonly message: WireMessage;
  readonly serverReceivedTs: number;
}

/**
 * `channel:resume`: after the session was resumed on a new connection, the client names the
 * channels it considers joined (with the last `seq` it received) and those it is still joining
 * (`lastSeq: null`). The server puts the connection back into those channels and answers with
 * what each joined one missed (§9.3: at most `replayMaxMessages`, at most `channelReplayMs` old).
 * Channels of the session that the client no longer lists (left while disconnected) are left.
 */
export interface ChannelResumePayload {
  readonly channels: ReadonlyArray<{ readonly channelId: string; readonly lastSeq: number | null }>;
}

export interface ChannelResumeResult {
  readonly channels: ReadonlyArray<{
    readonly channelId: string;
    /** False when the session is not (or no longer) a member: the client joins again. */
    readonly member: boolean;
    readonly count: number;
    /** Missed messages, oldest first. */
    readonly missed: readonly ChannelMessageDelivery[];
  }>;
}

/** Requests of the channel domain (`channel:*`). */
export interface ChannelClientEvents {
  'channel:join': Request<{ readonly channelId: string }, ChannelJoinResult>;
  'channel:leave': Request<{ readonly channelId: string }, null>;
  /**
   * Answers the `seq` the message got (the sender never receives its own message, so this is how
   * its client learns which seq was its own), or null for a retry of a message already delivered.
   */
  'channel:send': Request<ChannelSendPayload, { readonly seq: number } | null>;
  'channel:getMembers': Request<{ readonly channelId: string }, { readonly members: readonly string[] }>;
  'channel:getMemberCount': Request<
    { readonly channelIds: readonly string[] },
    { readonly counts: { readonly [channelId: string]: number } }
  >;
  'channel:resume': Request<ChannelResumePayload, ChannelResumeResult>;
}

/** Events the server sends in the channel domain. */
export interface ChannelServerEvents {
  'channel:message': (delivery: ChannelMessageDelivery) => void;
  /** A remote member joined (not sent above `memberEventsMaxMembers` members). */
  'channel:memberJoined': (event: { readonly channelId: string; readonly uid: string }) => void;
  /** A remote member left, or its session ended (not sent above `memberEventsMaxMembers`). */
  'channel:memberLeft': (event: { readonly channelId: string; readonly uid: string }) => void;
  /** The member count changed; throttled per channel (§9.4). */
  'channel:memberCount': (event: { readonly channelId: string; readonly count: number }) => void;
}

export const CHANNEL_REQUEST_ERRORS: { readonly [E in keyof ChannelClientEvents]: RequestErrorCodes } = {
  'channel:join': {
    invalid: 'JOIN_CHANNEL_ERR_INVALID_ARGUMENT',
    failure: 'JOIN_CHANNEL_ERR_FAILURE',
    notLoggedIn: 'JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN',
    timeout: 'JOIN_CHANNEL_TIMEOUT',
  },
  // LeaveChannelError, GetMembersError have no argument code: a malformed request is a failure.
  'channel:leave': {
    invalid: 'LEAVE_CHANNEL_ERR_FAILURE',
    failure: 'LEAVE_CHANNEL_ERR_FAILURE',
    notLoggedIn: 'LEAVE_CHANNEL_ERR_USER_NOT_LOGGED_IN',
    timeout: 'LEAVE_CHANNEL_ERR_FAILURE',
  },
  'channel:send': {
    invalid: 'CHANNEL_MESSAGE_ERR_INVALID_MESSAGE',
    failure: 'CHANNEL_MESSAGE_ERR_FAILURE',
    notLoggedIn: 'CHANNEL_MESSAGE_ERR_USER_NOT_LOGGED_IN',
    timeout: 'CHANNEL_MESSAGE_ERR_TIMEOUT',
  },
  'channel:getMembers': {
    invalid: 'GET_MEMBERS_ERR_FAILURE',
    failure: 'GET_MEMBERS_ERR_FAILURE',
    notLoggedIn: 'GET_MEMBERS_ERR_USER_NOT_LOGGED_IN',
    // Choice (§8): the Web runtime reports a getMembers timeout with the member-count group's
    // TIMEOUT (4), which in GetMembersError reads as TOO_OFTEN; we use GET_MEMBERS_ERR_TIMEOUT (3).
    timeout: 'GET_MEMBERS_ERR_TIMEOUT',
  },
  'channel:getMemberCount': {
    invalid: 'GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT',
    failure: 'GET_CHANNEL_MEMBER_COUNT_ERR_FAILURE',
    notLoggedIn: 'GET_CHANNEL_MEMBER_COUNT_ERR_USER_NOT_LOGGED_IN',
    timeout: 'GET_CHANNEL_MEMBER_COUNT_ERR_TIMEOUT',
  },
  'channel:resume': {
    invalid: 'JOIN_CHANNEL_ERR_INVALID_ARGUMENT',
    failure: 'JOIN_CHANNEL_ERR_FAILURE',
    notLoggedIn: 'JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN',
    timeout: 'JOIN_CHANNEL_TIMEOUT',
  },
};
