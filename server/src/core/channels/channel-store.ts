import type { WireMessage } from '@rtm-kit/protocol';

/** A channel message kept for replay after a reconnect (§9.3). */
export interface StoredChannelMessage {
  readonly seq: number;
  readonly from: string;
  readonly message: WireMessage;
  readonly serverReceivedTs: number;
}

export type ChannelJoin =
  | {
      readonly ok: true;
      /** Members after the join. */
      readonly count: number;
      /**
       * The channel's last message `seq` at the moment of joining (for `already`, the current
       * one). The store remembers it with the membership: replay never goes below it.
       */
      readonly seq: number;
      /** True when the session was a member already (nothing changed). */
      readonly already: boolean;
    }
  | { readonly ok: false; readonly reason: 'EXCEED_LIMIT' };

/**
 * Channel membership and the replay buffer. Membership belongs to a session: one member per
 * (app, channel, uid), recorded with the session that joined. An empty channel keeps nothing
 * (members, messages and `seq` start over when someone joins again).
 */
export interface ChannelStore {
  /**
   * Make the session's user a member, unless the session is in `maxJoined` channels already.
   * Joining a channel the session is a member of changes nothing and succeeds (`already`).
   */
  join(appId: string, channelId: string, uid: string, sessionId: string, maxJoined: number): Promise<ChannelJoin>;
  /** Remove the member if it joined through this session; null when it is not one. */
  leave(appId: string, channelId: string, uid: string, sessionId: string): Promise<{ readonly count: number } | null>;
  /** Remove the session from every channel; each channel left, with its count after. */
  leaveAll(appId: string, uid: string, sessionId: string): Promise<Array<{ readonly channelId: string; readonly count: number }>>;
  /** Channels the session is a member of. */
  channelsOf(appId: string, uid: string, sessionId: string): Promise<string[]>;
  /** Whether `uid` is a member (through `sessionId`, when given). */
  isMember(appId: string, channelId: string, uid: string, sessionId?: string): Promise<boolean>;
  members(appId: string, channelId: string): Promise<string[]>;
  count(appId: string, channelId: string): Promise<number>;
  /**
   * If the sender is a member through `sessionId`, give the message the channel's next `seq` and
   * keep it for replay (at most `keepMax` messages, none received before `keepSince`). Null when
   * the sender is not a member: membership and ordering are decided in one step. A null
   * `sessionId` is a message from the server side (an operator's API): it needs no membership,
   * only a channel that has members (null when it has none).
   */
  append(
    appId: string,
    channelId: string,
    sessionId: string | null,
    message: Omit<StoredChannelMessage, 'seq'>,
    keepMax: number,
    keepSince: number,
  ): Promise<number | null>;
  /**
   * What a member missed (§9.3): kept messages received at or after `since` with a `seq` above
   * `afterSeq` and above the channel's `seq` when this membership began (1.x never delivers
   * history, so a member cannot ask for what was sent before it joined), the newest `max`,
   * oldest first. Null when `uid` is not a member through `sessionId`: membership and what it
   * may see are decided in one step.
   */
  missed(
    appId: string,
    channelId: string,
    uid: string,
    sessionId: string,
    afterSeq: number,
    since: number,
    max: number,
  ): Promise<StoredChannelMessage[] | null>;
}

/**
 * The one key of a channel wherever channels are kept per app (membership, attributes, queues,
 * throttles). App IDs are exactly 32 characters, so the concatenation is unambiguous.
 */
export function channelKey(appId: string, channelId: string): string {
  return appId + channelId;
}
