import {
  channelIdsProblem,
  isValidChannelId,
  type ChannelJoinResult,
  type ChannelMessageDelivery,
  type ChannelResumeResult,
} from '@rtm-kit/protocol';
import { SeqWindow } from './seq-window.js';
import type { Logger } from './config.js';
import type { Connection } from './connection.js';
import { rtmError, type RtmError } from './errors.js';
import { MemberCountReporter } from './member-count.js';
import { fromWireMessage, toWireMessage } from './messages.js';
import { budgetSpent, newMessageId, type MessageBudget } from './outgoing-messages.js';
import { RtmChannel } from './rtm-channel.js';

type ChannelEvent =
  | { readonly kind: 'message'; readonly delivery: ChannelMessageDelivery }
  | { readonly kind: 'joined' | 'left'; readonly uid: string }
  | { readonly kind: 'count'; readonly count: number };

/** One channel this client is in (or joining), with what replay and throttling need. */
interface Membership {
  readonly channel: RtmChannel;
  /**
   * `resuming`: being restored after a reconnect (resumed, or joined again on a new session).
   * For the app it is joined all along: messages sent meanwhile wait for the connection.
   */
  state: 'joining' | 'joined' | 'resuming';
  /** The `seq`s received; a resumed session asks for what came after its floor (§9.3). */
  seqs: SeqWindow;
  /** Events that arrived while joining or resuming, applied once that is done, in order. */
  held: ChannelEvent[];
  counts: MemberCountReporter | null;
  /** Settles when the join in progress is done. */
  joining: Promise<void> | null;
  /** Rejects the app's `join()` while it waits for the server (see `join`). */
  cutOff: ((error: RtmError) => void) | null;
  /** The session ended (logout, or ended by the server) before the join was done. */
  closed: boolean;
}

/**
 * The channels of one client: joins, leaves, messages and member events (spec §3, §9.3, §9.4),
 * and what happens to them across reconnects. At most one `RtmChannel` per channel ID is joined.
 *
 * For other domains (channel attributes): `joined(channelId)` is the joined
 * `RtmChannel` of that ID, whose `notifyAttributesUpdated(attributes)` emits `AttributesUpdated`.
 *
 * After a reconnect, before the client reports CONNECTED: a resumed session gets its channels
 * back with the messages it missed (the server keeps them, at most 32 and 30 s); a new session
 * (the old one ended) joins every channel again.
 */
export class ChannelRegistry {
  readonly #connection: Connection;
  readonly #budget: MessageBudget;
  readonly #log: Logger;
  readonly #byId = new Map<string, Membership>();
  /** Bumped on every connection: the work of an older one that is still waiting changes nothing. */
  #generation = 0;

  constructor(connection: Connection, budget: MessageBudget, log: Logger) {
    this.#connection = connection;
    this.#budget = budget;
    this.#log = log;
    connection.onServer('channel:message', (d) => this.#route(d.channelId, { kind: 'message', delivery: d }));
    connection.onServer('channel:memberJoined', (e) => this.#route(e.channelId, { kind: 'joined', uid: e.uid }));
    connection.onServer('channel:memberLeft', (e) => this.#route(e.channelId, { kind: 'left', uid: e.uid }));
    connection.onServer('channel:memberCount', (e) => this.#route(e.channelId, { kind: 'count', count: e.count }));
    connection.addHooks({
      ready: (info) => {
        this.#generation++;
        if (info.initial) return undefined;
        return info.resumed ? this.#resume() : this.#joinAllAgain();
      },
      closed: () => this.#clear(),
    });
  }

  /** The joined `RtmChannel` for `channelId`, if this client has joined it. */
  joined(channelId: string): RtmChannel | undefined {
    const m = this.#byId.get(channelId);
    return m && m.state !== 'joining' ? m.channel : undefined;
  }

  /** Every joined channel. */
  joinedChannels(): RtmChannel[] {
    return [...this.#byId.values()].filter((m) => m.state !== 'joining').map((m) => m.channel);
  }

  create(channelId: unknown): RtmChannel {
    if (!isValidChannelId(channelId)) {
      throw rtmError('CREATE_CHANNEL_ERR_INVALID_ARGUMENT', 'The channel ID must be 1–64 characters of the allowed set and not "null".');
    }
    return new RtmChannel(channelId, this);
  }

  async join(channel: RtmChannel): Promise<void> {
    if (!this.#connection.isLoggedIn) throw rtmError('JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN', 'Log in before joining a channel.');
    const current = this.#byId.get(channel.channelId);
    if (current?.channel === channel) throw rtmError('JOIN_CHANNEL_ERR_ALREADY_JOINED', 'This channel is joined (or being joined) already.');
    if (current) {
      throw rtmError('JOIN_CHANNEL_ERR_ALREADY_JOINED_CHANNEL_OF_SAME_ID', 'Another RtmChannel of this channel ID is joined already.');
    }
    const { joinedChannelsMax } = this.#connection.limits;
    if (this.#byId.size >= joinedChannelsMax) {
      throw rtmError('JOIN_CHANNEL_ERR_EXCEED_LIMIT', `A client can be in at most ${joinedChannelsMax} channels.`);
    }
    const m: Membership = { channel, state: 'joining', seqs: new SeqWindow(0), held: [], counts: null, joining: null, cutOff: null, closed: false };
    this.#byId.set(channel.channelId, m);
    const attempt = this.#joinOnServer(m);
    m.joining = attempt.then(
      () => undefined,
      () => undefined,
    );
    // A join still waiting when the session ends (a logout right after `join()`, or the server
    // ending the session) fails at once with USER_NOT_LOGGED_IN (102): the channel was never
    // joined for the app, and the server undoes a join that races its session's end. Without
    // this it would wait for an answer that, after a server-side end, never comes.
    const cutOff = new Promise<never>((_, reject) => {
      m.cutOff = reject;
    });
    try {
      await Promise.race([attempt, cutOff]);
    } finally {
      m.cutOff = null;
    }
  }

  async leave(channel: RtmChannel): Promise<void> {
    if (!this.#connection.isLoggedIn) throw rtmError('LEAVE_CHANNEL_ERR_USER_NOT_LOGGED_IN', 'Not logged in.');
    let m = this.#byId.get(channel.channelId);
    if (m?.channel === channel && m.state === 'joining') {
      await m.joining;
      m = this.#byId.get(channel.channelId);
    }
    if (!m || m.channel !== channel || m.state === 'joining') {
      throw rtmError('LEAVE_CHANNEL_ERR_NOT_IN_CHANNEL', 'This channel is not joined.');
    }
    // Left locally at once, with no MemberLeft for ourselves (§3 `leave`).
    this.#drop(m);
    // Disconnected: a resumed session leaves it on the server (see #resume), a new one never
    // joins it. Connected: wait for the server, so the others have been told when this resolves
    // (the Web runtime does not wait; nothing can rely on it not waiting). A leave cut off by a
    // drop is sent again on the next connection and answered at once.
    if (!this.#connection.isReady) return;
    await this.#connection
      .request('channel:leave', { channelId: channel.channelId }, {
        timeoutMs: this.#connection.timing.requestTimeoutMs,
        resendOnReconnect: true,
      })
      .catch((error: unknown) => this.#log.warn(`leaving ${channel.channelId} on the server failed: ${describe(error)}`));
  }

  async send(channel: RtmChannel, message: unknown, _options: unknown): Promise<void> {
    const wire = await toWireMessage(message, 'CHANNEL_MESSAGE_ERR_INVALID_MESSAGE', this.#connection.limits);
    if (!this.#connection.isLoggedIn) throw rtmError('CHANNEL_MESSAGE_ERR_USER_NOT_LOGGED_IN', 'Log in before sending channel messages.');
    const m = this.#byId.get(channel.channelId);
    if (!m || m.channel !== channel || m.state === 'joining') {
      throw rtmError('CHANNEL_MESSAGE_ERR_NOT_IN_CHANNEL', 'Join the channel before sending to it.');
    }
    const { messageRate } = this.#connection.limits;
    if (!this.#budget.tryTake(messageRate)) {
      throw rtmError('CHANNEL_MESSAGE_ERR_TOO_OFTEN', budgetSpent(messageRate));
    }
    const sent = await this.#connection.request(
      'channel:send',
      { id: newMessageId(), channelId: channel.channelId, message: wire },
      {
        timeoutMs: this.#connection.timing.channelMessageTimeoutMs,
        // §3 `sendMessage`: while RECONNECTING it waits for the connection (1.0.1 reconnect cache).
        waitForReconnect: true,
        resendOnReconnect: true,
      },
    );
    // The server never sends a member its own message: count its seq as had, so it leaves no hole.
    if (sent !== null) this.#byId.get(channel.channelId)?.seqs.take(sent.seq);
  }

  async getMembers(channel: RtmChannel): Promise<string[]> {
    if (this.#connection.state !== 'CONNECTED') throw rtmError('GET_MEMBERS_ERR_USER_NOT_LOGGED_IN', 'getMembers needs a connected client.');
    const m = this.#byId.get(channel.channelId);
    if (!m || m.channel !== channel || m.state === 'joining') {
      throw rtmError('GET_MEMBERS_ERR_NOT_IN_CHANNEL', 'Join the channel before listing its members.');
    }
    const { members } = await this.#connection.request('channel:getMembers', { channelId: channel.channelId }, {
      timeoutMs: this.#connection.timing.requestTimeoutMs,
      waitForReconnect: true,
    });
    return [...members];
  }

  /** `getChannelMemberCount` (§2.6): no need to join; at most 32 channel IDs. */
  async getMemberCounts(channelIds: unknown): Promise<Record<string, number>> {
    const { limits } = this.#connection;
    const problem = channelIdsProblem(channelIds, limits.memberCountChannelsMax, limits.idMaxLength);
    if (problem) {
      throw rtmError(problem.code === 'TOO_MANY' ? 'GET_CHANNEL_MEMBER_COUNT_ERR_EXCEED_LIMIT' : 'GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT', problem.message);
    }
    if (!this.#connection.isLoggedIn) throw rtmError('GET_CHANNEL_MEMBER_COUNT_ERR_USER_NOT_LOGGED_IN', 'Not logged in.');
    const { counts } = await this.#connection.request('channel:getMemberCount', { channelIds: channelIds as string[] }, {
      timeoutMs: this.#connection.timing.requestTimeoutMs,
      waitForReconnect: true,
    });
    return { ...counts };
  }

  /**
   * Joins on the server. A join in flight when the connection drops is sent again on the next
   * one (the server answers a repeated join of the same session as a success), and the
   * reconnection's restore leaves memberships in `joining` to it.
   */
  async #joinOnServer(m: Membership, restore = false): Promise<void> {
    const { channelId } = m.channel;
    let result: ChannelJoinResult;
    try {
      result = await this.#connection.request('channel:join', { channelId }, {
        timeoutMs: this.#connection.timing.joinTimeoutMs,
        waitForReconnect: true,
        resendOnReconnect: true,
        restore,
      });
    } catch (error) {
      // Cut off by the end of the session: whatever the transport said (the logout drops requests
      // in flight), the answer is the one a join after logout gets.
      if (m.closed) throw rtmError('JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN', 'The session ended before the join completed.');
      if (this.#byId.get(channelId) === m) this.#drop(m);
      if ((error as RtmError).codeName === 'JOIN_CHANNEL_TIMEOUT' && this.#connection.isReady) {
        // The join may have happened after all; undo it so server and client agree.
        void this.#connection
          .request('channel:leave', { channelId }, { timeoutMs: this.#connection.timing.requestTimeoutMs })
          .catch(() => undefined);
      }
      throw error;
    }
    if (m.closed) throw rtmError('JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN', 'The session ended before the join completed.');
    if (this.#byId.get(channelId) !== m) return; // left while it was being joined again
    m.state = 'joined';
    m.seqs = new SeqWindow(result.seq);
    m.counts ??= new MemberCountReporter(result.throttle, (count) => m.channel.emit('MemberCountUpdated', count));
    // §3.1: the joiner gets MemberCountUpdated right after joining.
    m.counts.start(result.count);
    this.#flush(m);
  }

  /** The session was resumed: get the channels back and what they missed (§9.3, seed 1.1.0). */
  async #resume(): Promise<void> {
    const generation = this.#generation;
    const entries = [...this.#byId.values()];
    for (const m of entries) {
      if (m.state === 'joined') {
        m.state = 'resuming';
        m.held = [];
      }
    }
    const channels = entries.map((m) => ({ channelId: m.channel.channelId, lastSeq: m.state === 'joining' ? null : m.seqs.floor }));
    let answer: ChannelResumeResult;
    try {
      answer = await this.#connection.request(
        'channel:resume',
        { channels },
        { timeoutMs: this.#connection.timing.joinTimeoutMs, restore: true },
      );
    } catch (error) {
      if (generation !== this.#generation) return; // a newer connection restores them
      // Without an answer we cannot know whether this connection is back in the channels (a
      // timeout may have been processed, a failure not): join each again, which puts it back in
      // either way (the server answers a join of a channel the session is in as a success, with
      // no event). What was missed while away is not replayed then; later messages arrive.
      this.#log.warn(`restoring channels failed (${describe(error)}); joining them again`);
      const again = entries.filter((m) => m.state === 'resuming' && this.#byId.get(m.channel.channelId) === m);
      await Promise.all(again.map((m) => this.#joinAgain(m)));
      return;
    }
    if (generation !== this.#generation) return;
    const again: Membership[] = [];
    for (const r of answer.channels) {
      const m = this.#byId.get(r.channelId);
      if (!m || m.state !== 'resuming') continue;
      if (!r.member) {
        again.push(m);
        continue;
      }
      for (const delivery of r.missed) this.#apply(m, { kind: 'message', delivery });
      this.#flush(m);
      m.counts?.update(r.count);
    }
    for (const m of entries) if (m.state === 'resuming' && !again.includes(m)) this.#flush(m);
    await Promise.all(again.map((m) => this.#joinAgain(m)));
  }

  /** The old session ended while we were away: join every joined channel again. */
  async #joinAllAgain(): Promise<void> {
    // Joins still in flight are sent again by the connection itself (resendOnReconnect).
    const joined = [...this.#byId.values()].filter((m) => m.state !== 'joining');
    await Promise.all(joined.map((m) => this.#joinAgain(m)));
  }

  async #joinAgain(m: Membership): Promise<void> {
    m.state = 'resuming';
    m.held = [];
    try {
      await this.#joinOnServer(m, true);
    } catch (error) {
      if (!m.closed) this.#log.error(`joining ${m.channel.channelId} again after reconnecting failed`, error);
    }
  }

  #route(channelId: string, event: ChannelEvent): void {
    const m = this.#byId.get(channelId);
    if (!m) return;
    if (m.state !== 'joined') {
      // The answer to the join or resume carries a fresher count than any sent before it.
      if (event.kind !== 'count') m.held.push(event);
      return;
    }
    this.#apply(m, event);
  }

  #apply(m: Membership, event: ChannelEvent): void {
    const own = this.#connection.uid;
    switch (event.kind) {
      case 'message': {
        const d = event.delivery;
        // A replayed message can also arrive live, and live ones out of order: deliver each seq once.
        if (!m.seqs.take(d.seq)) return;
        if (d.from === own) return; // §3.1: never your own message
        m.channel.emit('ChannelMessage', fromWireMessage(d.message), d.from, { serverReceivedTs: d.serverReceivedTs, isOfflineMessage: false });
        return;
      }
      case 'joined':
        if (event.uid !== own) m.channel.emit('MemberJoined', event.uid);
        return;
      case 'left':
        if (event.uid !== own) m.channel.emit('MemberLeft', event.uid);
        return;
      case 'count':
        m.counts?.update(event.count);
        return;
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  }

  /** Joining or resuming is done: apply what arrived meanwhile. */
  #flush(m: Membership): void {
    m.state = 'joined';
    const held = m.held;
    m.held = [];
    for (const event of held) this.#apply(m, event);
  }

  #drop(m: Membership): void {
    m.counts?.dispose();
    if (this.#byId.get(m.channel.channelId) === m) this.#byId.delete(m.channel.channelId);
  }

  /** Logout or the end of the session: every channel is left locally (no MemberLeft locally). */
  #clear(): void {
    for (const m of this.#byId.values()) {
      m.closed = true;
      m.counts?.dispose();
      m.cutOff?.(rtmError('JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN', 'The session ended before the join completed.'));
    }
    this.#byId.clear();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
