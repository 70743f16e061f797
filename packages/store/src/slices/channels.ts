import type { RtmError } from '@rtm-kit/client';
import { Leases } from '../leases.js';
import { KeyedListeners } from '../listeners.js';
import { moveToEnd, toMessage, updateItem, withoutError, type MessageInput, type MessageItem } from '../messages.js';
import type { RtmChannel } from '../rtm-api.js';
import { appendCapped, toRtmError, type Slice, type SliceContext } from '../slice.js';
import { singleFlight, type SingleFlight } from '../single-flight.js';
import { keyed, withEntry } from '../records.js';

/** Where this user stands in a channel. */
export type ChannelStatus = 'idle' | 'joining' | 'joined' | 'leaving' | 'error';

/** A channel as the UI shows it. */
export interface ChannelEntry {
  readonly channelId: string;
  /** `idle` also while waiting for the login that lets the join start. */
  readonly status: ChannelStatus;
  /** Why the last join failed (status `error`). */
  readonly error: RtmError | null;
  /** Received and own messages in the order this client saw them (own ones when sent). */
  readonly messages: readonly MessageItem[];
  /** Members while joined, kept current by MemberJoined / MemberLeft. */
  readonly members: readonly string[];
  /** From MemberCountUpdated while joined; `null` before the first count. */
  readonly memberCount: number | null;
}

export interface ChannelsSlice {
  readonly channels: { readonly [channelId: string]: ChannelEntry };
  /**
   * Hold the channel joined (joining once logged in). Holders share one join; after the last
   * release (and the release delay) the channel is left.
   */
  acquireChannel(channelId: string): () => void;
  /** Join again after `leaveChannel` or a failed join, while the channel is held. */
  joinChannel(channelId: string): Promise<void>;
  /** Leave now, whoever holds the channel; it stays left until joined or acquired afresh. */
  leaveChannel(channelId: string): Promise<void>;
  /**
   * Send a channel message. It is listed at once with status `sending`, then `sent` or
   * `failed`. Never rejects: resolves with the settled message, whose `error` says why it failed.
   */
  sendChannelMessage(channelId: string, message: MessageInput): Promise<MessageItem>;
  /** Send a failed own message again (it moves to the end of the list). */
  retryChannelMessage(channelId: string, messageId: string): Promise<MessageItem | null>;
  /** Call `listener` for every message received in the channel (not for own sends). */
  onChannelMessage(channelId: string, listener: (item: MessageItem) => void): () => void;
}

interface ChannelRecord {
  channel: RtmChannel | null;
  joined: boolean;
  leftByUser: boolean;
  failed: boolean;
  /** Moves the channel towards "joined while held and logged in", one step at a time. */
  reconcile: SingleFlight;
  /** Membership events seen while `getMembers` is in flight, replayed over its answer. */
  pendingMemberEvents: Array<readonly [kind: 'joined' | 'left', uid: string]> | null;
}

const MAX_STEPS = 6;

function emptyEntry(channelId: string): ChannelEntry {
  return { channelId, status: 'idle', error: null, messages: [], members: [], memberCount: null };
}

function changes<T extends object>(current: T, patch: Partial<T>): boolean {
  return Object.entries(patch).some(([key, value]) => !Object.is(current[key as keyof T], value));
}

/** The channels slice: joins as leases, messages with optimistic sends, members and counts. */
export function createChannelsSlice(ctx: SliceContext): Slice<ChannelsSlice> {
  const { client } = ctx;
  const records = new Map<string, ChannelRecord>();
  const messageListeners = new KeyedListeners<string, [MessageItem]>();
  const leases = new Leases<string>(ctx.options.releaseDelayMs, {
    first(channelId) {
      const rec = record(channelId);
      rec.leftByUser = false;
      rec.failed = false;
      void reconcile(channelId);
    },
    last(channelId) {
      void reconcile(channelId);
    },
  });

  function record(channelId: string): ChannelRecord {
    let rec = records.get(channelId);
    if (rec === undefined) {
      const created: ChannelRecord = {
        channel: null,
        joined: false,
        leftByUser: false,
        failed: false,
        reconcile: singleFlight(() => step(channelId, created), MAX_STEPS),
        pendingMemberEvents: null,
      };
      rec = created;
      records.set(channelId, rec);
    }
    return rec;
  }

  function patch(channelId: string, update: Partial<ChannelEntry> | ((entry: ChannelEntry) => Partial<ChannelEntry>)): void {
    ctx.set((s) => {
      const current = s.channels[channelId] ?? emptyEntry(channelId);
      const p = typeof update === 'function' ? update(current) : update;
      // Returning the same state object tells zustand nothing changed: no listener runs.
      if (s.channels[channelId] !== undefined && !changes(current, p)) return s;
      return { channels: withEntry(s.channels, channelId, { ...current, ...p }) };
    });
  }

  function ensureEntry(channelId: string): void {
    if (ctx.get().channels[channelId] === undefined) patch(channelId, {});
  }

  /** The channel object, created once per id; throws for an invalid id (spec §2.3). */
  function channelOf(channelId: string): RtmChannel {
    const rec = record(channelId);
    if (rec.channel !== null) return rec.channel;
    const channel = client.createChannel(channelId);
    rec.channel = channel;
    channel.on('ChannelMessage', (message, memberId, props) => {
      const item: MessageItem = { id: ctx.nextId('m'), from: memberId, message, serverReceivedTs: props.serverReceivedTs };
      patch(channelId, (e) => ({ messages: appendCapped(e.messages, item, ctx.options.maxMessages) }));
      messageListeners.emit(channelId, item);
    });
    channel.on('MemberJoined', (uid) => memberEvent(channelId, 'joined', uid));
    channel.on('MemberLeft', (uid) => memberEvent(channelId, 'left', uid));
    channel.on('MemberCountUpdated', (count) => {
      patch(channelId, { memberCount: count });
      ctx.get().recordMemberCount(channelId, count);
    });
    channel.on('AttributesUpdated', (attributes) => ctx.get().receiveChannelAttributes(channelId, attributes));
    return channel;
  }

  function memberEvent(channelId: string, kind: 'joined' | 'left', uid: string): void {
    const rec = record(channelId);
    rec.pendingMemberEvents?.push([kind, uid]);
    patch(channelId, (e) => ({ members: applyMemberEvent(e.members, kind, uid) }));
  }

  async function fetchMembers(channelId: string): Promise<void> {
    const rec = record(channelId);
    const channel = rec.channel;
    if (channel === null || rec.pendingMemberEvents !== null) return;
    rec.pendingMemberEvents = [];
    try {
      let members: readonly string[] = await channel.getMembers();
      for (const [kind, uid] of rec.pendingMemberEvents) members = applyMemberEvent(members, kind, uid);
      if (rec.joined) patch(channelId, { members });
    } catch {
      // The list stays as MemberJoined / MemberLeft built it; the join itself succeeded.
    } finally {
      rec.pendingMemberEvents = null;
    }
  }

  function reconcile(channelId: string): Promise<void> {
    return record(channelId).reconcile();
  }

  async function step(channelId: string, rec: ChannelRecord): Promise<void> {
    const state = client.connectionState;
    const wanted = leases.held(channelId) && !rec.leftByUser;
    if (wanted && !rec.joined && !rec.failed && state === 'CONNECTED') {
      patch(channelId, { status: 'joining', error: null });
      // A join that straddles a logout is not taken for a join of the next session.
      const session = ctx.session();
      const sessionEnded = () => ctx.session() !== session;
      try {
        await channelOf(channelId).join();
        if (sessionEnded()) {
          // Logged out (or kicked) while joining: the client left the channel again, and the
          // next login joins it afresh (not this session, which is being logged out).
          patch(channelId, { status: 'idle' });
          return;
        } else {
          rec.joined = true;
          patch(channelId, { status: 'joined', error: null });
          void fetchMembers(channelId);
        }
      } catch (error) {
        if (sessionEnded()) {
          patch(channelId, { status: 'idle' });
          return;
        } else {
          rec.failed = true;
          patch(channelId, { status: 'error', error: toRtmError(error) });
        }
      }
      rec.reconcile.again();
      return;
    }
    if (!wanted && rec.joined) {
      rec.joined = false;
      if ((state === 'CONNECTED' || state === 'RECONNECTING') && rec.channel !== null) {
        patch(channelId, { status: 'leaving' });
        // leave() fails only when there is nothing to leave (not joined, not logged in).
        await rec.channel.leave().catch(() => undefined);
      }
      patch(channelId, { status: 'idle', members: [], memberCount: null });
      rec.reconcile.again();
    }
  }

  async function deliver(channelId: string, item: MessageItem): Promise<MessageItem> {
    const session = ctx.session();
    let settled: MessageItem;
    try {
      await channelOf(channelId).sendMessage(toMessage(item.message));
      settled = { ...item, status: 'sent' };
    } catch (error) {
      settled = { ...item, status: 'failed', error: toRtmError(error) };
    }
    // A send cut off by a logout settles for its caller, not in the next session's list.
    if (ctx.session() === session) patch(channelId, (e) => ({ messages: updateItem(e.messages, item.id, () => settled) }));
    return settled;
  }

  const state: ChannelsSlice = {
    channels: keyed(),
    acquireChannel(channelId) {
      ensureEntry(channelId);
      return leases.acquire(channelId);
    },
    joinChannel(channelId) {
      const rec = record(channelId);
      rec.leftByUser = false;
      rec.failed = false;
      return reconcile(channelId);
    },
    leaveChannel(channelId) {
      record(channelId).leftByUser = true;
      return reconcile(channelId);
    },
    sendChannelMessage(channelId, input) {
      const item: MessageItem = {
        id: ctx.nextId('m'),
        from: ctx.get().connection.uid ?? '',
        message: toMessage(input),
        serverReceivedTs: Date.now(),
        status: 'sending',
      };
      patch(channelId, (e) => ({ messages: appendCapped(e.messages, item, ctx.options.maxMessages) }));
      return deliver(channelId, item);
    },
    async retryChannelMessage(channelId, messageId) {
      const failed = ctx.get().channels[channelId]?.messages.find((m) => m.id === messageId && m.status === 'failed');
      if (failed === undefined) return null;
      const item: MessageItem = { ...withoutError(failed), status: 'sending', serverReceivedTs: Date.now() };
      patch(channelId, (e) => ({ messages: moveToEnd(e.messages, messageId, () => item) }));
      return deliver(channelId, item);
    },
    onChannelMessage(channelId, listener) {
      return messageListeners.add(channelId, listener);
    },
  };

  return {
    state,
    connectionChanged(connectionState, _reason, previous) {
      if (connectionState === 'DISCONNECTED' || connectionState === 'ABORTED') {
        // The client leaves every channel locally at logout and when the session ends (§2.1).
        for (const [channelId, rec] of records) {
          if (!rec.joined) continue;
          rec.joined = false;
          patch(channelId, { status: 'idle', members: [], memberCount: null });
        }
        return;
      }
      if (connectionState !== 'CONNECTED') return;
      if (previous === 'RECONNECTING') {
        // The client joined again before reporting CONNECTED; members may have changed.
        for (const [channelId, rec] of records) if (rec.joined) void fetchMembers(channelId);
        return;
      }
      for (const channelId of leases.keys()) {
        record(channelId).failed = false;
        void reconcile(channelId);
      }
    },
    reset(s) {
      const channels = keyed<ChannelEntry>();
      for (const channelId of Object.keys(s.channels)) {
        if (leases.held(channelId)) channels[channelId] = emptyEntry(channelId);
      }
      return { channels };
    },
  };
}

function applyMemberEvent(members: readonly string[], kind: 'joined' | 'left', uid: string): readonly string[] {
  if (kind === 'joined') return members.includes(uid) ? members : [...members, uid];
  return members.includes(uid) ? members.filter((m) => m !== uid) : members;
}
