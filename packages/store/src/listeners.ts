/**
 * Callbacks keyed by a topic (a channel id, a peer id), for events that are not state: "a
 * message arrived" is worth a sound or a toast, and must not wait for a render. A throwing
 * listener is reported and does not stop the others.
 */
export class KeyedListeners<K, Args extends unknown[]> {
  readonly #byKey = new Map<K, Set<(...args: Args) => void>>();

  add(key: K, listener: (...args: Args) => void): () => void {
    let set = this.#byKey.get(key);
    if (set === undefined) {
      set = new Set();
      this.#byKey.set(key, set);
    }
    set.add(listener);
    return () => {
      const current = this.#byKey.get(key);
      current?.delete(listener);
      if (current?.size === 0) this.#byKey.delete(key);
    };
  }

  emit(key: K, ...args: Args): void {
    const set = this.#byKey.get(key);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (error) {
        console.error('[rtm-kit] a store listener threw', error);
      }
    }
  }
}

/** The part of a typed emitter (`RtmChannel`, `LocalInvitation`, …) that `listenTo` needs. */
interface Emitter<Events> {
  on<E extends keyof Events & string>(event: E, listener: Events[E]): unknown;
  off<E extends keyof Events & string>(event: E, listener?: Events[E]): unknown;
}

/**
 * Attaches several listeners to one emitter and returns the function that detaches exactly
 * those, so attaching and detaching can never drift apart.
 */
export function listenTo<Events>(
  emitter: Emitter<Events>,
  handlers: { readonly [E in keyof Events & string]?: Events[E] },
): () => void {
  const entries = Object.entries(handlers) as Array<[keyof Events & string, Events[keyof Events & string]]>;
  for (const [event, listener] of entries) emitter.on(event, listener);
  return () => {
    for (const [event, listener] of entries) emitter.off(event, listener);
  };
}
