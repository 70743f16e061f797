import type { RtmError } from '@rtm-kit/client';
import { Leases } from '../leases.js';
import type { AttributesMap, ChannelAttributeOptions, ChannelAttributes } from '../rtm-api.js';
import { toRtmError, type Slice, type SliceContext } from '../slice.js';
import { keyed, withEntry } from '../records.js';

/** Where a fetched value stands: `loading` only before the first answer. */
export type AttributesStatus = 'idle' | 'loading' | 'ready' | 'error';

/** One channel's attributes as the UI shows them. */
export interface ChannelAttributesEntry {
  readonly channelId: string;
  readonly status: AttributesStatus;
  /** The last failed read or write. */
  readonly error: RtmError | null;
  readonly attributes: ChannelAttributes;
}

export interface ChannelAttributesSlice {
  readonly channelAttributes: { readonly [channelId: string]: ChannelAttributesEntry };
  /** Keep a channel's attributes loaded: fetched once logged in and again after reconnecting. */
  acquireChannelAttributes(channelId: string): () => void;
  /** Fetch the attributes now. */
  refreshChannelAttributes(channelId: string): Promise<void>;
  /** Replace all attributes (spec §2.5). Rejects with the client's error, also kept in `error`. */
  setChannelAttributes(channelId: string, attributes: AttributesMap, options?: ChannelAttributeOptions): Promise<void>;
  addOrUpdateChannelAttributes(channelId: string, attributes: AttributesMap, options?: ChannelAttributeOptions): Promise<void>;
  deleteChannelAttributesByKeys(channelId: string, keys: readonly string[], options?: ChannelAttributeOptions): Promise<void>;
  clearChannelAttributes(channelId: string, options?: ChannelAttributeOptions): Promise<void>;
}

const EMPTY: ChannelAttributes = Object.freeze({});

function emptyEntry(channelId: string): ChannelAttributesEntry {
  return { channelId, status: 'idle', error: null, attributes: EMPTY };
}

/** Bumped by every change so a slow fetch does not overwrite a newer notification. */
const versions = new WeakMap<SliceContext, Map<string, number>>();

function bump(ctx: SliceContext, channelId: string): number {
  let map = versions.get(ctx);
  if (map === undefined) {
    map = new Map();
    versions.set(ctx, map);
  }
  const next = (map.get(channelId) ?? 0) + 1;
  map.set(channelId, next);
  return next;
}

function version(ctx: SliceContext, channelId: string): number {
  return versions.get(ctx)?.get(channelId) ?? 0;
}

function patch(ctx: SliceContext, channelId: string, update: (entry: ChannelAttributesEntry) => Partial<ChannelAttributesEntry>): void {
  ctx.set((s) => {
    const current = s.channelAttributes[channelId] ?? emptyEntry(channelId);
    return { channelAttributes: withEntry(s.channelAttributes, channelId, { ...current, ...update(current) }) };
  });
}

/** A full attribute map from AttributesUpdated (spec §3.1: the whole map, not a diff). */
export function receiveChannelAttributes(ctx: SliceContext, channelId: string, attributes: ChannelAttributes): void {
  bump(ctx, channelId);
  patch(ctx, channelId, () => ({ status: 'ready', error: null, attributes: { ...attributes } }));
}

/** The channel-attributes slice: loaded on demand, kept fresh from notifications and own writes. */
export function createChannelAttributesSlice(ctx: SliceContext): Slice<ChannelAttributesSlice> {
  const { client } = ctx;
  const leases = new Leases<string>(ctx.options.releaseDelayMs, {
    first: (channelId) => void refreshIfConnected(channelId),
    last: () => undefined,
  });

  function refreshIfConnected(channelId: string): void {
    if (client.connectionState === 'CONNECTED') refresh(channelId).catch(() => undefined);
  }

  async function refresh(channelId: string): Promise<void> {
    const started = version(ctx, channelId);
    // An answer that straddles a logout belongs to the session that ended: it is dropped.
    const session = ctx.session();
    patch(ctx, channelId, (e) => (e.status === 'ready' ? {} : { status: 'loading' }));
    try {
      const attributes = await client.getChannelAttributes(channelId);
      if (ctx.session() !== session) return;
      if (version(ctx, channelId) !== started) return; // a newer map arrived meanwhile
      bump(ctx, channelId);
      patch(ctx, channelId, () => ({ status: 'ready', error: null, attributes }));
    } catch (error) {
      if (ctx.session() === session) patch(ctx, channelId, () => ({ status: 'error', error: toRtmError(error) }));
      throw error;
    }
  }

  /** Runs a write and, once the server took it, applies it to the local copy. */
  async function write(channelId: string, call: () => Promise<void>, apply: (current: ChannelAttributes) => ChannelAttributes): Promise<void> {
    const session = ctx.session();
    try {
      await call();
    } catch (error) {
      // The caller still gets the error; the state of the next session does not.
      if (ctx.session() === session) patch(ctx, channelId, () => ({ error: toRtmError(error) }));
      throw error;
    }
    if (ctx.session() !== session) return;
    bump(ctx, channelId);
    patch(ctx, channelId, (e) => ({ status: 'ready', error: null, attributes: apply(e.attributes) }));
  }

  function stamp(attributes: AttributesMap): ChannelAttributes {
    const lastUpdateUserId = ctx.get().connection.uid ?? '';
    const lastUpdateTs = Date.now();
    const out: { [key: string]: ChannelAttributes[string] } = {};
    for (const [key, value] of Object.entries(attributes)) out[key] = { value, lastUpdateUserId, lastUpdateTs };
    return out;
  }

  return {
    state: {
      channelAttributes: keyed(),
      acquireChannelAttributes(channelId) {
        if (ctx.get().channelAttributes[channelId] === undefined) patch(ctx, channelId, () => ({}));
        return leases.acquire(channelId);
      },
      refreshChannelAttributes: refresh,
      setChannelAttributes: (channelId, attributes, options) =>
        write(channelId, () => client.setChannelAttributes(channelId, { ...attributes }, { ...options }), () => stamp(attributes)),
      addOrUpdateChannelAttributes: (channelId, attributes, options) =>
        write(channelId, () => client.addOrUpdateChannelAttributes(channelId, { ...attributes }, { ...options }), (current) => ({
          ...current,
          ...stamp(attributes),
        })),
      deleteChannelAttributesByKeys: (channelId, keys, options) =>
        write(channelId, () => client.deleteChannelAttributesByKeys(channelId, [...keys], { ...options }), (current) => {
          const next = { ...current };
          for (const key of keys) delete next[key];
          return next;
        }),
      clearChannelAttributes: (channelId, options) => write(channelId, () => client.clearChannelAttributes(channelId, { ...options }), () => ({})),
    },
    connectionChanged(state) {
      if (state !== 'CONNECTED') return;
      for (const channelId of leases.keys()) refreshIfConnected(channelId);
    },
    reset(s) {
      const channelAttributes = keyed<ChannelAttributesEntry>();
      for (const channelId of Object.keys(s.channelAttributes)) {
        if (leases.held(channelId)) channelAttributes[channelId] = emptyEntry(channelId);
      }
      return { channelAttributes };
    },
  };
}
