import type { RtmError } from '@rtm-kit/client';
import type { AttributesMap, ChannelAttributeOptions, ChannelAttributes } from '../rtm-api.js';
import { KeyedResource, type ResourceStatus } from '../resource.js';
import type { Slice, SliceContext } from '../slice.js';
import { keyed } from '../records.js';

/** Where a fetched value stands: `loading` only before the first answer. */
export type AttributesStatus = ResourceStatus;

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
  /**
   * A joined channel's full attribute map from `AttributesUpdated` (spec §3.1: the whole map, not
   * a diff). The channels slice calls it; an app has no need to.
   * @internal
   */
  receiveChannelAttributes(channelId: string, attributes: ChannelAttributes): void;
}

const EMPTY: ChannelAttributes = Object.freeze({});

function emptyEntry(channelId: string): ChannelAttributesEntry {
  return { channelId, status: 'idle', error: null, attributes: EMPTY };
}

/** The channel-attributes slice: loaded on demand, kept fresh from notifications and own writes. */
export function createChannelAttributesSlice(ctx: SliceContext): Slice<ChannelAttributesSlice> {
  const { client } = ctx;
  const resource = new KeyedResource<ChannelAttributesEntry>(ctx, {
    entries: (s) => s.channelAttributes,
    replace: (channelAttributes) => ({ channelAttributes }),
    empty: emptyEntry,
    fetch: async (channelId) => ({ attributes: await client.getChannelAttributes(channelId) }),
  });

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
      acquireChannelAttributes: (channelId) => resource.acquire(channelId),
      refreshChannelAttributes: (channelId) => resource.refresh(channelId),
      setChannelAttributes: (channelId, attributes, options) =>
        resource.write(channelId, () => client.setChannelAttributes(channelId, { ...attributes }, { ...options }), () => ({ attributes: stamp(attributes) })),
      addOrUpdateChannelAttributes: (channelId, attributes, options) =>
        resource.write(channelId, () => client.addOrUpdateChannelAttributes(channelId, { ...attributes }, { ...options }), (e) => ({
          attributes: { ...e.attributes, ...stamp(attributes) },
        })),
      deleteChannelAttributesByKeys: (channelId, keys, options) =>
        resource.write(channelId, () => client.deleteChannelAttributesByKeys(channelId, [...keys], { ...options }), (e) => {
          const next = { ...e.attributes };
          for (const key of keys) delete next[key];
          return { attributes: next };
        }),
      clearChannelAttributes: (channelId, options) =>
        resource.write(channelId, () => client.clearChannelAttributes(channelId, { ...options }), () => ({ attributes: {} })),
      receiveChannelAttributes: (channelId, attributes) => resource.receive(channelId, { attributes: { ...attributes } }),
    },
    connectionChanged: (state) => resource.connectionChanged(state),
    reset: (s) => resource.reset(s),
  };
}
