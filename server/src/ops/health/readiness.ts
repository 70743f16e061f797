import type { Store } from '../../core/store.js';

/** How long `/readyz` waits for the store's ping before calling it unreachable. */
const PING_TIMEOUT_MS = 2_000;

/**
 * Whether this node should get new clients: not while it drains, and not while its store does not
 * answer (`Store.ping`, when the store has one; the memory store always answers).
 */
export class Readiness {
  readonly #store: Store;
  #draining = false;

  constructor(store: Store) {
    this.#store = store;
  }

  get draining(): boolean {
    return this.#draining;
  }

  startDraining(): void {
    this.#draining = true;
  }

  async check(): Promise<{ ready: true } | { ready: false; reason: string }> {
    if (this.#draining) return { ready: false, reason: 'draining' };
    if (typeof this.#store.ping !== 'function') return { ready: true };
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.#store.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), PING_TIMEOUT_MS);
        }),
      ]);
      return { ready: true };
    } catch {
      return { ready: false, reason: 'store unreachable' };
    } finally {
      clearTimeout(timer);
    }
  }
}
