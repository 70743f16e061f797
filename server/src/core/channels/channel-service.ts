/**
 * Channels (spec §2.3, §2.6 `getChannelMemberCount`, §3, §9.3, §9.4; seeds 1.1.0).
 *
 * Membership belongs to the session: it survives a resume (the client names its channels again
 * with `channel:resume` and gets what it missed), and ends with the session — logout, remote
 * login, ban, token expiry or the end of the grace period — with `MemberLeft` to the others.
 *
 * For other domains (channel attributes, issue 4):
 * - `members(appId, channelId)`, `isMember(appId, channelId, uid)` and `count(appId, channelId)`
 *   answer from the store;
 * - `addListener({ occupied, emptied })` reports a channel getting its first member and losing
 *   its last one (see `ChannelLifecycleListener`);
 * - `Router.toChannel(appId, channelId, event, ...args)` delivers an event to every member's
 *   live connection (joined members only, which is who gets `AttributesUpdated`, §2.5).
 *
 * Channel messages get a per-channel `seq` in the same store step that checks the sender's
 * membership, and leave this node in `seq` order (one queue per channel), so members receive
 * them in order and a resumed member can name the last one it has.
 */
import {
  isValidChannelId,
  type ChannelJoinResult,
  type ChannelMessageDelivery,
  type ChannelResumePayload,
  type ChannelResumeResult,
  type ChannelSendPayload,
} from '@rtm-kit/protocol';
import { CoreError } from '../errors.js';
import { MESSAGE_RATE_WHAT, type MessageRateLimiter } from '../messaging/message-rate.js';
import { checkMessageSize } from '../messaging/message-size.js';
import type { SendLedger } from '../messaging/send-ledger.js';
import { SerialQueues } from '../messaging/serial-queue.js';
import { RateLimiter } from '../rate-limits.js';
import { isServerSender } from '../server-sender.js';
import type { SessionService } from '../sessions/session-service.js';
import type { SessionRecord } from '../sessions/store.js';
import { channelKey, type ChannelStore, type StoredChannelMessage } from './channel-store.js';
import type { ChannelLifecycleListener } from './lifecycle.js';
import { MemberCountThrottle } from './member-count-throttle.js';
import type { ServiceContext } from '../context.js';

export interface ChannelServiceDeps extends ServiceContext {
  readonly store: ChannelStore;
  readonly ledger: SendLedger;
  readonly sessions: SessionService;
  /** Shared with peer messages (§10.5). */
  readonly rate: MessageRateLimiter;
  /** Shared with peer messages: one order per sender across both kinds. */
  readonly senders: SerialQueues;
}

export class ChannelService {
  readonly #d: ChannelServiceDeps;
  readonly #listeners: ChannelLifecycleListener[] = [];
  readonly #channelQueues = new SerialQueues();
  readonly #counts: MemberCountThrottle;
  readonly #joinSame: RateLimiter;
  readonly #joinAny: RateLimiter;
  readonly #getMembersRate: RateLimiter;
  readonly #memberCountRate: RateLimiter;

  constructor(deps: ChannelServiceDeps) {
    this.#d = deps;
    const { limits, timing } = deps;
    this.#joinSame = new RateLimiter(deps.rateLimits, 'joinSameChannel', limits.joinSameChannelRate);
    this.#joinAny = new RateLimiter(deps.rateLimits, 'joinChannels', limits.joinDifferentChannelsRate);
    this.#getMembersRate = new RateLimiter(deps.rateLimits, 'getMembers', limits.getMembersRate);
    this.#memberCountRate = new RateLimiter(deps.rateLimits, 'memberCount', limits.memberCountRate);
    this.#counts = new MemberCountThrottle({
      clock: deps.clock,
      periodMs: timing.memberCountThrottleMs,
      largePeriodMs: timing.memberCountThrottleLargeMs,
      // Choice: the spec's "above 512 members" threshold for the slower period is the same
      // number that stops MemberJoined/MemberLeft, so one limit (`memberEventsMaxMembers`) says
      // when a channel counts as large.
      largeAbove: limits.memberEventsMaxMembers,
      read: (appId, channelId) => deps.store.count(appId, channelId),
      send: (appId, channelId, count) => deps.router.toChannel(appId, channelId, 'channel:memberCount', { channelId, count }),
      log: deps.log,
    });
    deps.sessions.addListener({ ended: (session) => this.#leaveAll(session) });
  }

  /** Hear about channels becoming occupied and empty (see `ChannelLifecycleListener`). */
  addListener(listener: ChannelLifecycleListener): void {
    this.#listeners.push(listener);
  }

  /** The uids of a channel's members (all of them; `getMembers` caps what clients see). */
  members(appId: string, channelId: string): Promise<string[]> {
    return this.#d.store.members(appId, channelId);
  }

  isMember(appId: string, channelId: string, uid: string): Promise<boolean> {
    return this.#d.store.isMember(appId, channelId, uid);
  }

  count(appId: string, channelId: string): Promise<number> {
    return this.#d.store.count(appId, channelId);
  }

  /**
   * Join a channel (§3 `join`). Client-side checks (already joined by this or another instance,
   * 20 joined) are repeated here against the store, so a modified client gets the same answers.
   * Joining a channel the session is in already succeeds without any event: that is how a join
   * retried across a reconnect is answered.
   *
   * Choice (§3, §11): the Web runtime reports server rate-limit rejections as
   * `JOIN_CHANNEL_ERR_FAILURE(1)` with the real code only in the message; we answer with the
   * specific codes `JOIN_CHANNEL_ERR_JOIN_SAME_CHANNEL_TOO_OFTEN(8)` and
   * `JOIN_CHANNEL_ERR_TOO_OFTEN(7)`, which the 1.x error table defines for exactly these cases.
   *
   * A join and the end of its session can overlap (a `channel:join` in flight when the client
   * logs out, §2.1 `logout`). The session ends in the session store first and its channels are
   * left after that (`leaveAll`), so a join that lands in between would leave a member of a dead
   * session behind for good. Hence the check once the join is in the store: if the session is
   * no longer current, the join is undone like a leave (MemberLeft after the MemberJoined the
   * others may have seen) and fails with USER_NOT_LOGGED_IN (102), as a join after logout does.
   * Whichever order the steps take, either `leaveAll` or this undo removes the member.
   */
  async join(session: SessionRecord, channelId: string): Promise<ChannelJoinResult> {
    const { appId, uid, sessionId } = session;
    const { limits } = this.#d;
    if (!isValidChannelId(channelId, limits.idMaxLength)) {
      throw new CoreError('JOIN_CHANNEL_ERR_INVALID_ARGUMENT', 'The channel ID must be 1–64 characters of the allowed set and not "null".');
    }
    const already = await this.#d.store.isMember(appId, channelId, uid, sessionId);
    if (!already) {
      const joined = await this.#d.store.channelsOf(appId, uid, sessionId);
      if (joined.length >= limits.joinedChannelsMax) {
        throw new CoreError('JOIN_CHANNEL_ERR_EXCEED_LIMIT', `A client can be in at most ${limits.joinedChannelsMax} channels.`);
      }
      const now = this.#d.clock.now();
      await this.#joinSame.take(`${sessionId}\n${channelId}`, now, 'JOIN_CHANNEL_ERR_JOIN_SAME_CHANNEL_TOO_OFTEN', 'Joining the same channel');
      await this.#joinAny.take(sessionId, now, 'JOIN_CHANNEL_ERR_TOO_OFTEN', 'Joining channels');
    }
    // Into the delivery group before becoming a member: every message with a `seq` above the
    // one this join reports is then sure to reach the joiner.
    this.#d.router.joinChannel(sessionId, appId, channelId);
    const result = await this.#d.store.join(appId, channelId, uid, sessionId, limits.joinedChannelsMax);
    if (!result.ok) {
      if (!already) this.#d.router.leaveChannel(sessionId, appId, channelId);
      throw new CoreError('JOIN_CHANNEL_ERR_EXCEED_LIMIT', `A client can be in at most ${limits.joinedChannelsMax} channels.`);
    }
    if (!result.already) {
      if (result.count <= limits.memberEventsMaxMembers) {
        this.#d.router.toChannelExcept(appId, channelId, sessionId, 'channel:memberJoined', { channelId, uid });
      }
      this.#counts.changed(appId, channelId, result.count, true);
      if (result.count === 1) await this.#notify('occupied', appId, channelId);
    }
    if (!(await this.#isCurrent(session))) {
      this.#d.router.leaveChannel(sessionId, appId, channelId);
      const left = await this.#d.store.leave(appId, channelId, uid, sessionId);
      if (left) await this.#afterLeave(session, channelId, left.count);
      throw new CoreError('JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN', 'The session ended while joining.');
    }
    return { count: result.count, seq: result.seq, throttle: this.#throttle() };
  }

  /** Leave a channel (§3 `leave`); the others get `MemberLeft`. */
  async leave(session: SessionRecord, channelId: string): Promise<void> {
    const { appId, uid, sessionId } = session;
    const left = isValidChannelId(channelId, this.#d.limits.idMaxLength) ? await this.#d.store.leave(appId, channelId, uid, sessionId) : null;
    if (!left) throw new CoreError('LEAVE_CHANNEL_ERR_NOT_IN_CHANNEL', 'Not in this channel.');
    this.#d.router.leaveChannel(sessionId, appId, channelId);
    await this.#afterLeave(session, channelId, left.count);
  }

  /**
   * A channel message (§3 `sendMessage`, §9.3): to every other member, never back to the sender.
   * From a `serverSender` (an operator's API) it needs no membership and reaches every member;
   * a channel without members answers CHANNEL_MESSAGE_ERR_NOT_IN_CHANNEL. Resolves with the
   * `seq` the message got, so the sender's client knows which seq is its own (it never comes back
   * to it), or null when this was a retry of a message already delivered.
   */
  async send(session: SessionRecord, payload: ChannelSendPayload): Promise<number | null> {
    const { channelId, message } = payload;
    if (!isValidChannelId(channelId, this.#d.limits.idMaxLength)) {
      throw new CoreError('CHANNEL_MESSAGE_ERR_NOT_IN_CHANNEL', 'Not in this channel.');
    }
    checkMessageSize(message, this.#d.limits, 'CHANNEL_MESSAGE_ERR_INVALID_MESSAGE');
    return this.#d.senders.run(`${session.appId}${session.uid}`, () => this.#dispatch(session, payload));
  }

  /**
   * The members of a joined channel (§3 `getMembers`), the caller included (§14: the public
   * examples render it as the room list). Above `getMembersMax` members, a random subset.
   */
  async getMembers(session: SessionRecord, channelId: string): Promise<string[]> {
    const { appId, uid, sessionId } = session;
    const member = isValidChannelId(channelId, this.#d.limits.idMaxLength) && (await this.#d.store.isMember(appId, channelId, uid, sessionId));
    if (!member) throw new CoreError('GET_MEMBERS_ERR_NOT_IN_CHANNEL', 'Join the channel before listing its members.');
    await this.#getMembersRate.take(sessionId, this.#d.clock.now(), 'GET_MEMBERS_ERR_TOO_OFTEN', 'getMembers');
    const members = await this.#d.store.members(appId, channelId);
    return randomSubset(members, this.#d.limits.getMembersMax);
  }

  /** Member counts of channels, joined or not (§2.6 `getChannelMemberCount`). */
  async getMemberCounts(session: SessionRecord, channelIds: readonly string[]): Promise<Record<string, number>> {
    const { limits } = this.#d;
    if (channelIds.length === 0) {
      throw new CoreError('GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT', 'Name at least one channel.');
    }
    if (channelIds.length > limits.memberCountChannelsMax) {
      throw new CoreError('GET_CHANNEL_MEMBER_COUNT_ERR_EXCEED_LIMIT', `At most ${limits.memberCountChannelsMax} channels per call.`);
    }
    if (!channelIds.every((id) => isValidChannelId(id, limits.idMaxLength))) {
      throw new CoreError('GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT', 'Every channel ID must be 1–64 characters of the allowed set and not "null".');
    }
    await this.#memberCountRate.take(session.sessionId, this.#d.clock.now(), 'GET_CHANNEL_MEMBER_COUNT_ERR_TOO_OFTEN', 'getChannelMemberCount');
    // Channel IDs are client strings: on a plain object `counts['__proto__'] = n` would set the
    // prototype instead of a key, and the channel would vanish from the answer.
    const counts = Object.create(null) as Record<string, number>;
    for (const id of new Set(channelIds)) counts[id] = await this.#d.store.count(session.appId, id);
    return counts;
  }

  /**
   * A resumed session's client names its channels again (§9.3): put the connection back into
   * them and answer with what it missed; leave the session's channels it no longer names.
   *
   * Only memberships are answered. A channel the session is not in gets `member: false` with
   * count 0 and nothing missed: its real count is `getChannelMemberCount`'s to tell (with that
   * call's 32-channel and once-a-second limits, §2.6), and the client joins it again anyway.
   * Replay starts after the later of the client's `lastSeq` and the `seq` at which this
   * membership began (the store keeps it): 1.x never delivers channel history, so a member that
   * just joined and asks from 0 gets nothing sent before its join.
   */
  async resume(session: SessionRecord, payload: ChannelResumePayload): Promise<ChannelResumeResult> {
    const { appId, uid, sessionId } = session;
    const { limits, timing } = this.#d;
    const listed = new Map<string, number | null>();
    for (const { channelId, lastSeq } of payload.channels) listed.set(channelId, lastSeq);
    const current = new Set(await this.#d.store.channelsOf(appId, uid, sessionId));
    for (const channelId of current) {
      if (listed.has(channelId)) continue;
      const left = await this.#d.store.leave(appId, channelId, uid, sessionId);
      if (left) await this.#afterLeave(session, channelId, left.count);
    }
    const since = this.#d.clock.now() - timing.channelReplayMs;
    const channels: Array<ChannelResumeResult['channels'][number]> = [];
    for (const [channelId, lastSeq] of listed) {
      const notMember = { channelId, member: false, count: 0, missed: [] };
      if (!current.has(channelId)) {
        channels.push(notMember);
        continue;
      }
      // Back into the group first, then read the buffer: a message in between arrives both
      // ways and the client keeps the first copy of each `seq`.
      this.#d.router.joinChannel(sessionId, appId, channelId);
      const kept =
        lastSeq === null ? [] : await this.#d.store.missed(appId, channelId, uid, sessionId, lastSeq, since, limits.replayMaxMessages);
      if (kept === null) {
        // Left meanwhile (the session ended): not a member after all.
        this.#d.router.leaveChannel(sessionId, appId, channelId);
        channels.push(notMember);
        continue;
      }
      const count = await this.#d.store.count(appId, channelId);
      channels.push({ channelId, member: true, count, missed: kept.map((m) => toDelivery(channelId, m)) });
    }
    return { channels };
  }

  /** Stop timers (server shutdown). Membership stays in the store. */
  dispose(): void {
    this.#counts.dispose();
  }

  async #dispatch(session: SessionRecord, payload: ChannelSendPayload): Promise<number | null> {
    const { appId, uid, sessionId } = session;
    const { channelId, message } = payload;
    const attempt = await this.#d.ledger.begin(appId, uid, `c:${payload.id}`);
    if (!attempt.fresh) {
      // A retry of a message already sent, or still being sent by another node (or by one that
      // died while sending it): that one may or may not have reached the channel, and saying
      // it did would hide a loss, so the retry fails (the spec's "may or may not" of FAILURE).
      if (!(await attempt.outcome).delivered) {
        throw new CoreError('CHANNEL_MESSAGE_ERR_FAILURE', 'This message was being sent through a server that stopped; it may not have reached the channel.');
      }
      return null;
    }
    const notMember = () => new CoreError('CHANNEL_MESSAGE_ERR_NOT_IN_CHANNEL', 'Join the channel before sending to it.');
    // A message from the server side (`serverSender`) needs no membership; it reaches every member.
    const fromServer = isServerSender(session);
    let member: boolean;
    try {
      member = fromServer || (await this.#d.store.isMember(appId, channelId, uid, sessionId));
    } catch (error) {
      await attempt.abandon();
      throw error;
    }
    if (!member) {
      await attempt.abandon();
      throw notMember();
    }
    const now = this.#d.clock.now();
    try {
      await this.#d.rate.take(sessionId, now, 'CHANNEL_MESSAGE_ERR_TOO_OFTEN', MESSAGE_RATE_WHAT);
    } catch (error) {
      await attempt.abandon();
      throw error;
    }
    const { limits, timing } = this.#d;
    let seq: number | null;
    try {
      seq = await this.#channelQueues.run(channelKey(appId, channelId), async () => {
        const stored = { from: uid, message, serverReceivedTs: now };
        const assigned = await this.#d.store.append(appId, channelId, fromServer ? null : sessionId, stored, limits.replayMaxMessages, now - timing.channelReplayMs);
        if (assigned !== null) {
          // Acknowledged once published to every node (see Router.toChannelExcept).
          await this.#d.router.toChannelExcept(appId, channelId, sessionId, 'channel:message', toDelivery(channelId, { ...stored, seq: assigned }));
        }
        return assigned;
      });
    } catch (error) {
      // Stored, or published to some nodes, or neither: a retry must not send it again, and is
      // told it may not have reached the channel.
      attempt.finish(Promise.resolve({ delivered: false }));
      throw error;
    }
    if (seq === null) {
      await attempt.abandon();
      throw notMember();
    }
    attempt.finish(Promise.resolve({ delivered: true }));
    return seq;
  }

  async #leaveAll(session: SessionRecord): Promise<void> {
    const left = await this.#d.store.leaveAll(session.appId, session.uid, session.sessionId);
    for (const { channelId, count } of left) {
      this.#d.router.leaveChannel(session.sessionId, session.appId, channelId);
      await this.#afterLeave(session, channelId, count);
    }
  }

  async #afterLeave(session: SessionRecord, channelId: string, count: number): Promise<void> {
    const { appId, uid, sessionId } = session;
    // Member events stop above the limit (§9.4): judged by the size the channel had.
    if (count + 1 <= this.#d.limits.memberEventsMaxMembers) {
      this.#d.router.toChannelExcept(appId, channelId, sessionId, 'channel:memberLeft', { channelId, uid });
    }
    this.#counts.changed(appId, channelId, count);
    if (count === 0) await this.#notify('emptied', appId, channelId);
  }

  /** Whether the session is still its user's current one (it may have ended meanwhile). */
  async #isCurrent(session: SessionRecord): Promise<boolean> {
    const current = await this.#d.sessions.get(session.appId, session.uid);
    return current?.sessionId === session.sessionId;
  }

  #throttle(): ChannelJoinResult['throttle'] {
    return {
      periodMs: this.#d.timing.memberCountThrottleMs,
      largePeriodMs: this.#d.timing.memberCountThrottleLargeMs,
      largeAbove: this.#d.limits.memberEventsMaxMembers,
    };
  }

  async #notify(hook: keyof ChannelLifecycleListener, appId: string, channelId: string): Promise<void> {
    for (const listener of this.#listeners) {
      try {
        await listener[hook]?.(appId, channelId);
      } catch (error) {
        this.#d.log('error', `channel ${hook} listener failed`, error);
      }
    }
  }
}

function toDelivery(channelId: string, m: StoredChannelMessage): ChannelMessageDelivery {
  return { channelId, seq: m.seq, from: m.from, message: m.message, serverReceivedTs: m.serverReceivedTs };
}

/** `max` members chosen at random (partial Fisher–Yates), or all of them in store order. */
function randomSubset(items: string[], max: number): string[] {
  if (items.length <= max) return items;
  const copy = [...items];
  for (let i = 0; i < max; i++) {
    const j = i + Math.floor(Math.random() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j] as string, copy[i] as string];
  }
  return copy.slice(0, max);
}
