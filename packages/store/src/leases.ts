/** What a lease registry does when a key gains its first holder or loses its last one. */
export interface LeaseHandlers<K> {
  /** The key has a holder again (it had none, and no release was pending). */
  first(key: K): void;
  /** The last holder let go and nobody took the key back within the release delay. */
  last(key: K): void;
}

/**
 * Reference counts per key with a deferred last release: the shape every join and
 * subscription of the store takes. Two holders of one key share one join; a holder that lets
 * go and comes back within `delayMs` (React Strict Mode's mount-unmount-mount, a quick route
 * change) costs nothing on the wire. The release function each `acquire` returns is idempotent.
 */
export class Leases<K> {
  readonly #counts = new Map<K, number>();
  readonly #pending = new Map<K, ReturnType<typeof setTimeout>>();
  readonly #delayMs: number;
  readonly #handlers: LeaseHandlers<K>;
  /** Bumped by `clear()`: a release function from before it must not release a newer hold. */
  #generation = 0;

  constructor(delayMs: number, handlers: LeaseHandlers<K>) {
    this.#delayMs = delayMs;
    this.#handlers = handlers;
  }

  /** Take a hold on `key`; call the returned function (once or more) to let go. */
  acquire(key: K): () => void {
    const count = this.#counts.get(key) ?? 0;
    this.#counts.set(key, count + 1);
    const pending = this.#pending.get(key);
    if (pending !== undefined) {
      clearTimeout(pending);
      this.#pending.delete(key);
    } else if (count === 0) {
      this.#handlers.first(key);
    }
    const generation = this.#generation;
    let released = false;
    return () => {
      if (released || generation !== this.#generation) return;
      released = true;
      this.#release(key);
    };
  }

  /** Take a hold on each distinct key; the returned function lets go of all of them. */
  acquireAll(keys: Iterable<K>): () => void {
    const releases = [...new Set(keys)].map((key) => this.acquire(key));
    return () => {
      for (const release of releases) release();
    };
  }

  /** True while `key` has a holder or its last release is still pending. */
  held(key: K): boolean {
    return this.#counts.has(key);
  }

  /** Every held key, including those whose last release is pending. */
  keys(): K[] {
    return [...this.#counts.keys()];
  }

  /**
   * Drop every hold now without calling `last` (the owner is going away). Release functions
   * handed out before become no-ops.
   */
  clear(): void {
    this.#generation++;
    for (const timer of this.#pending.values()) clearTimeout(timer);
    this.#pending.clear();
    this.#counts.clear();
  }

  #release(key: K): void {
    const count = (this.#counts.get(key) ?? 1) - 1;
    if (count > 0) {
      this.#counts.set(key, count);
      return;
    }
    this.#counts.set(key, 0);
    const timer = setTimeout(() => {
      this.#pending.delete(key);
      if (this.#counts.get(key) !== 0) return;
      this.#counts.delete(key);
      this.#handlers.last(key);
    }, this.#delayMs);
    this.#pending.set(key, timer);
  }
}
