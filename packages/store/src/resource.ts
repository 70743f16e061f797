import type { ConnectionState, RtmError } from '@rtm-kit/client';
import { Leases } from './leases.js';
import { keyed, withEntry, type Keyed } from './records.js';
import { toRtmError, type SliceContext } from './slice.js';
import type { RtmState } from './state.js';

/** Where a fetched value stands: `loading` only before the first answer. */
export type ResourceStatus = 'idle' | 'loading' | 'ready' | 'error';

/** What every entry of a keyed resource carries besides its data. */
export interface ResourceEntry {
  readonly status: ResourceStatus;
  /** The last failed read or write. */
  readonly error: RtmError | null;
}

export interface KeyedResourceOptions<E extends ResourceEntry> {
  /** The resource's entries in the state, and the state change that replaces them. */
  readonly entries: (s: RtmState) => Readonly<Keyed<E>>;
  readonly replace: (entries: Keyed<E>) => Partial<RtmState>;
  /** A key's entry before anything is known. */
  readonly empty: (key: string) => E;
  /** Reads a key's data from the server. */
  readonly fetch: (key: string) => Promise<Partial<E>>;
}

/**
 * Data per key (a channel's attributes, a user's attributes) that the UI holds while it shows
 * it — TanStack Query's `Query` + `removable` + `onlineManager` in the store's terms: each entry
 * has a status, the last error and its data; holders share one lease per key; a held key is
 * fetched when it gains its first holder and again whenever the client is CONNECTED (after a
 * login or a reconnect); answers that straddle the end of a session, or that are older than
 * data received since, are dropped; a logout empties every entry but keeps the held keys.
 */
export class KeyedResource<E extends ResourceEntry> {
  readonly #ctx: SliceContext;
  readonly #o: KeyedResourceOptions<E>;
  readonly #leases: Leases<string>;
  /** Bumped by every change of a key's data, so a slow fetch does not overwrite newer data. */
  readonly #versions = new Map<string, number>();

  constructor(ctx: SliceContext, options: KeyedResourceOptions<E>) {
    this.#ctx = ctx;
    this.#o = options;
    this.#leases = new Leases<string>(ctx.options.releaseDelayMs, {
      first: (key) => this.#refreshIfConnected(key),
      last: () => undefined,
    });
  }

  /** Hold `key` (its entry appears at once); call the returned function to let go. */
  acquire(key: string): () => void {
    if (this.#o.entries(this.#ctx.get())[key] === undefined) this.patch(key, () => ({}));
    return this.#leases.acquire(key);
  }

  /** Fetch a key now; rejects with the client's error, also kept in the entry. */
  async refresh(key: string): Promise<void> {
    const started = this.#version(key);
    const session = this.#ctx.session();
    this.patch(key, (e) => (e.status === 'ready' ? {} : ({ status: 'loading' } as Partial<E>)));
    try {
      const data = await this.#o.fetch(key);
      if (this.#ctx.session() !== session) return;
      if (this.#version(key) !== started) return; // newer data arrived meanwhile
      this.receive(key, data);
    } catch (error) {
      if (this.#ctx.session() === session) this.patch(key, () => ({ status: 'error', error: toRtmError(error) }) as Partial<E>);
      throw error;
    }
  }

  /** Newer data for a key (a notification, or a write the server took). */
  receive(key: string, data: Partial<E>): void {
    this.#versions.set(key, this.#version(key) + 1);
    this.patch(key, () => ({ ...data, status: 'ready', error: null }));
  }

  /**
   * Runs a write; once the server took it, `apply` gives the key's new data. A write that fails
   * keeps its error in the entry (and rejects); one that straddles the end of the session
   * changes nothing.
   */
  async write(key: string, call: () => Promise<void>, apply: (entry: E) => Partial<E>): Promise<void> {
    const session = this.#ctx.session();
    try {
      await call();
    } catch (error) {
      if (this.#ctx.session() === session) this.patch(key, () => ({ error: toRtmError(error) }) as Partial<E>);
      throw error;
    }
    if (this.#ctx.session() !== session) return;
    this.receive(key, apply(this.#entry(key)));
  }

  /** Changes a key's entry (created if missing). */
  patch(key: string, update: (entry: E) => Partial<E>): void {
    this.#ctx.set((s) => {
      const current = this.#o.entries(s)[key] ?? this.#o.empty(key);
      return this.#o.replace(withEntry(this.#o.entries(s), key, { ...current, ...update(current) }));
    });
  }

  /** The client's connection changed: a CONNECTED client fetches every held key again. */
  connectionChanged(state: ConnectionState): void {
    if (state !== 'CONNECTED') return;
    for (const key of this.#leases.keys()) this.#refreshIfConnected(key);
  }

  /** The entries after a logout: the held keys, emptied. */
  reset(s: RtmState): Partial<RtmState> {
    const entries = keyed<E>();
    for (const key of Object.keys(this.#o.entries(s))) if (this.#leases.held(key)) entries[key] = this.#o.empty(key);
    return this.#o.replace(entries);
  }

  #entry(key: string): E {
    return this.#o.entries(this.#ctx.get())[key] ?? this.#o.empty(key);
  }

  #version(key: string): number {
    return this.#versions.get(key) ?? 0;
  }

  #refreshIfConnected(key: string): void {
    if (this.#ctx.client.connectionState === 'CONNECTED') this.refresh(key).catch(() => undefined);
  }
}
