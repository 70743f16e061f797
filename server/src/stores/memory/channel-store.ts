import { type ChannelJoin, type ChannelStore, type StoredChannelMessage } from '../../core/channels/channel-store.js';
import { appKey } from './keys.js';

/** One membership: the session that joined, and the channel's `seq` when it joined. */
interface Member {
  readonly sessionId: string;
  readonly joinSeq: number;
}

interface ChannelRecord {
  /** uid → its membership, in joining order. */
  readonly members: Map<string, Member>;
  seq: number;
  /** The replay buffer, oldest first. */
  messages: StoredChannelMessage[];
}

/** Channel membership and replay buffers, in this process (see `MemoryStore` on restarts). */
export class MemoryChannelStore implements ChannelStore {
  readonly #channels = new Map<string, ChannelRecord>();
  /** appId+uid → the session and the channels it joined. */
  readonly #joined = new Map<string, { sessionId: string; channels: Set<string> }>();

  async join(appId: string, channelId: string, uid: string, sessionId: string, maxJoined: number): Promise<ChannelJoin> {
    const key = appKey(appId, channelId);
    const existing = this.#channels.get(key);
    if (existing?.members.get(uid)?.sessionId === sessionId) {
      return { ok: true, count: existing.members.size, seq: existing.seq, already: true };
    }
    const mine = this.#joinedBy(appId, uid, sessionId);
    if (mine.channels.size >= maxJoined) return { ok: false, reason: 'EXCEED_LIMIT' };
    const channel = existing ?? { members: new Map<string, Member>(), seq: 0, messages: [] };
    // A member left behind by an older session of this user gives way (its session is over).
    channel.members.delete(uid);
    channel.members.set(uid, { sessionId, joinSeq: channel.seq });
    this.#channels.set(key, channel);
    mine.channels.add(channelId);
    return { ok: true, count: channel.members.size, seq: channel.seq, already: false };
  }

  async leave(appId: string, channelId: string, uid: string, sessionId: string): Promise<{ readonly count: number } | null> {
    return this.#leave(appId, channelId, uid, sessionId);
  }

  async leaveAll(appId: string, uid: string, sessionId: string): Promise<Array<{ readonly channelId: string; readonly count: number }>> {
    const mine = this.#joined.get(appKey(appId, uid));
    if (!mine || mine.sessionId !== sessionId) return [];
    const left: Array<{ channelId: string; count: number }> = [];
    for (const channelId of [...mine.channels]) {
      const done = this.#leave(appId, channelId, uid, sessionId);
      if (done) left.push({ channelId, count: done.count });
    }
    this.#joined.delete(appKey(appId, uid));
    return left;
  }

  /** Synchronous, so that `leaveAll` is one step like every other method. */
  #leave(appId: string, channelId: string, uid: string, sessionId: string): { readonly count: number } | null {
    const key = appKey(appId, channelId);
    const channel = this.#channels.get(key);
    if (!channel || channel.members.get(uid)?.sessionId !== sessionId) return null;
    channel.members.delete(uid);
    if (channel.members.size === 0) this.#channels.delete(key);
    const mine = this.#joined.get(appKey(appId, uid));
    if (mine?.sessionId === sessionId) {
      mine.channels.delete(channelId);
      if (mine.channels.size === 0) this.#joined.delete(appKey(appId, uid));
    }
    return { count: channel.members.size };
  }

  async channelsOf(appId: string, uid: string, sessionId: string): Promise<string[]> {
    const mine = this.#joined.get(appKey(appId, uid));
    return mine?.sessionId === sessionId ? [...mine.channels] : [];
  }

  async isMember(appId: string, channelId: string, uid: string, sessionId?: string): Promise<boolean> {
    const member = this.#channels.get(appKey(appId, channelId))?.members.get(uid);
    return member !== undefined && (sessionId === undefined || member.sessionId === sessionId);
  }

  async members(appId: string, channelId: string): Promise<string[]> {
    return [...(this.#channels.get(appKey(appId, channelId))?.members.keys() ?? [])];
  }

  async count(appId: string, channelId: string): Promise<number> {
    return this.#channels.get(appKey(appId, channelId))?.members.size ?? 0;
  }

  async append(
    appId: string,
    channelId: string,
    sessionId: string | null,
    message: Omit<StoredChannelMessage, 'seq'>,
    keepMax: number,
    keepSince: number,
  ): Promise<number | null> {
    const channel = this.#channels.get(appKey(appId, channelId));
    if (!channel) return null;
    if (sessionId !== null && channel.members.get(message.from)?.sessionId !== sessionId) return null;
    channel.seq += 1;
    channel.messages.push({ ...message, seq: channel.seq });
    let drop = Math.max(0, channel.messages.length - keepMax);
    while (drop < channel.messages.length && (channel.messages[drop] as StoredChannelMessage).serverReceivedTs < keepSince) drop++;
    if (drop > 0) channel.messages.splice(0, drop);
    return channel.seq;
  }

  async missed(
    appId: string,
    channelId: string,
    uid: string,
    sessionId: string,
    afterSeq: number,
    since: number,
    max: number,
  ): Promise<StoredChannelMessage[] | null> {
    const channel = this.#channels.get(appKey(appId, channelId));
    const member = channel?.members.get(uid);
    if (!channel || member?.sessionId !== sessionId) return null;
    if (max <= 0) return [];
    const from = Math.max(afterSeq, member.joinSeq);
    return channel.messages.filter((m) => m.seq > from && m.serverReceivedTs >= since).slice(-max);
  }

  /** Channels with members plus users in channels (`MemoryStore.entryCounts`). */
  entryCount(): number {
    return this.#channels.size + this.#joined.size;
  }

  /** The user's joined-channel record for this session; a stale one of an older session goes. */
  #joinedBy(appId: string, uid: string, sessionId: string): { sessionId: string; channels: Set<string> } {
    const key = appKey(appId, uid);
    let mine = this.#joined.get(key);
    if (!mine || mine.sessionId !== sessionId) {
      mine = { sessionId, channels: new Set() };
      this.#joined.set(key, mine);
    }
    return mine;
  }
}
