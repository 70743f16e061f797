import { utf8ByteLength, type AttributeEntry } from '@rtm-kit/protocol';
import type {
  AttributeWrite,
  ChannelAttributeStore,
  ChannelAttributeWriteResult,
  StoredAttributeCaps,
  StoredChannelAttribute,
  UserAttributeStore,
  UserAttributeWriteResult,
} from '../../core/attributes/store.js';
import { appKey } from './keys.js';

/**
 * Applies a write to a copy of `current` and returns the new map; `make` builds a stored value.
 * Maps keep insertion order, so a set reads back in the order it was written.
 */
function applyWrite<V>(current: ReadonlyMap<string, V>, write: AttributeWrite, make: (key: string, value: string) => V): Map<string, V> {
  switch (write.kind) {
    case 'set':
      return new Map(write.entries.map(([key, value]) => [key, make(key, value)]));
    case 'addOrUpdate': {
      const next = new Map(current);
      for (const [key, value] of write.entries) next.set(key, make(key, value));
      return next;
    }
    case 'delete': {
      const next = new Map(current);
      for (const key of write.keys) next.delete(key);
      return next;
    }
    case 'clear':
      return new Map();
    default: {
      const unknown: never = write;
      throw new Error(`unknown attribute write ${String(unknown)}`);
    }
  }
}

function fits<V>(map: ReadonlyMap<string, V>, valueOf: (v: V) => string, caps: StoredAttributeCaps): boolean {
  if (map.size > caps.maxCount) return false;
  let bytes = 0;
  for (const [key, v] of map) bytes += utf8ByteLength(key) + utf8ByteLength(valueOf(v));
  return bytes <= caps.maxBytes;
}

function pick<V>(map: ReadonlyMap<string, V> | undefined, keys: readonly string[] | null): Array<[string, V]> {
  if (!map) return [];
  if (keys === null) return [...map];
  const out: Array<[string, V]> = [];
  for (const key of keys) {
    const v = map.get(key);
    if (v !== undefined) out.push([key, v]);
  }
  return out;
}

/**
 * Every session's attribute set starts as this one map, which nothing changes (a write replaces a
 * set's map with a new one): most users never set an attribute, and an empty Map is not free.
 */
const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();

/** User attribute sets of this process, each owned by one session. */
export class MemoryUserAttributeStore implements UserAttributeStore {
  readonly #sets = new Map<string, { sessionId: string; attributes: ReadonlyMap<string, string> }>();

  async openUserAttributes(appId: string, uid: string, sessionId: string): Promise<void> {
    this.#sets.set(appKey(appId, uid), { sessionId, attributes: NO_ATTRIBUTES });
  }

  async writeUserAttributes(
    appId: string,
    uid: string,
    sessionId: string,
    write: AttributeWrite,
    caps: StoredAttributeCaps,
  ): Promise<UserAttributeWriteResult> {
    const set = this.#sets.get(appKey(appId, uid));
    if (!set || set.sessionId !== sessionId) return { ok: false, reason: 'NO_SESSION' };
    const next = applyWrite(set.attributes, write, (_key, value) => value);
    if (!fits(next, (v) => v, caps)) return { ok: false, reason: 'SIZE_OVERFLOW' };
    set.attributes = next;
    return { ok: true };
  }

  async getUserAttributes(appId: string, uid: string, keys: readonly string[] | null): Promise<AttributeEntry[]> {
    return pick(this.#sets.get(appKey(appId, uid))?.attributes, keys);
  }

  async closeUserAttributes(appId: string, uid: string, sessionId: string): Promise<void> {
    const key = appKey(appId, uid);
    if (this.#sets.get(key)?.sessionId === sessionId) this.#sets.delete(key);
  }

  /** Users with an attribute set (`MemoryStore.entryCounts`). */
  entryCount(): number {
    return this.#sets.size;
  }
}

interface ChannelRecord {
  attributes: Map<string, StoredChannelAttribute>;
  emptySince: number | null;
}

/**
 * Channel attributes of this process, with since when each channel has been empty.
 *
 * Revisions come from one counter for every app: it still increases with every write of each
 * app, which is all a client needs to drop an older update, and unlike a counter per app it keeps
 * no state for apps that are gone (see `MemoryPresenceStore` on versions).
 */
export class MemoryChannelAttributeStore implements ChannelAttributeStore {
  readonly #channels = new Map<string, ChannelRecord>();
  #revision = 0;

  async writeChannelAttributes(
    appId: string,
    channelId: string,
    write: AttributeWrite,
    by: { readonly uid: string; readonly at: number },
    caps: StoredAttributeCaps,
    emptySince: number | null,
  ): Promise<ChannelAttributeWriteResult> {
    const key = appKey(appId, channelId);
    const record = this.#channels.get(key);
    // Only the keys this write names change hands; the others keep their writer and time.
    const stored = applyWrite(record?.attributes ?? new Map<string, StoredChannelAttribute>(), write, (k, value) => ({
      key: k,
      value,
      lastUpdateUserId: by.uid,
      lastUpdateTs: by.at,
    }));
    if (!fits(stored, (v) => v.value, caps)) return { ok: false, reason: 'SIZE_OVERFLOW' };
    const revision = ++this.#revision;
    const since = record ? record.emptySince : emptySince;
    if (stored.size === 0) this.#channels.delete(key);
    else this.#channels.set(key, { attributes: stored, emptySince: since });
    return { ok: true, revision, attributes: [...stored.values()], emptySince: since };
  }

  async getChannelAttributes(appId: string, channelId: string, keys: readonly string[] | null): Promise<StoredChannelAttribute[]> {
    return pick(this.#channels.get(appKey(appId, channelId))?.attributes, keys).map(([, v]) => v);
  }

  async markChannelEmpty(appId: string, channelId: string, since: number | null): Promise<boolean> {
    const record = this.#channels.get(appKey(appId, channelId));
    if (!record) return false;
    // The channel service reports the start of each empty period; it replaces a guess made when
    // the attributes were first written.
    record.emptySince = since;
    return true;
  }

  async expireChannelAttributes(appId: string, channelId: string, emptyBy: number): Promise<boolean> {
    const key = appKey(appId, channelId);
    const record = this.#channels.get(key);
    if (!record || record.emptySince === null || record.emptySince > emptyBy) return false;
    this.#channels.delete(key);
    return true;
  }

  /** Channels with attributes (`MemoryStore.entryCounts`). */
  entryCount(): number {
    return this.#channels.size;
  }
}
