type Listener = (...args: unknown[]) => void;

/** Listener signatures keyed by event name. */
export type EventMap = { [event: string]: (...args: never[]) => void };

interface Entry {
  readonly listener: Listener;
  readonly once: boolean;
}

/**
 * A typed, Node-style event emitter: the methods agora-rtm-sdk 1.x objects inherit
 * (`on, addListener, once, prependListener, prependOnceListener, off, removeListener,
 * removeAllListeners, listeners, rawListeners, listenerCount, eventNames, emit,
 * setMaxListeners, getMaxListeners`). Listener errors are isolated: one throwing listener does
 * not stop the others or the SDK, and is reported on the console.
 *
 * Listeners live in one ordered array per event (a Map, so an event named `__proto__` is an
 * ordinary key). Prepending is why this is not a thin wrapper over a browser emitter library:
 * none of the small ones keep listener order editable at both ends.
 */
export class TypedEmitter<Events extends EventMap> {
  readonly #events = new Map<string, Entry[]>();
  #maxListeners = 512;

  on<E extends keyof Events & string>(event: E, listener: Events[E]): this {
    return this.#add(event, listener, false, false);
  }

  addListener<E extends keyof Events & string>(event: E, listener: Events[E]): this {
    return this.#add(event, listener, false, false);
  }

  once<E extends keyof Events & string>(event: E, listener: Events[E]): this {
    return this.#add(event, listener, true, false);
  }

  prependListener<E extends keyof Events & string>(event: E, listener: Events[E]): this {
    return this.#add(event, listener, false, true);
  }

  prependOnceListener<E extends keyof Events & string>(event: E, listener: Events[E]): this {
    return this.#add(event, listener, true, true);
  }

  /** Removes the most recently added registration of `listener`, or every listener of `event`. */
  off<E extends keyof Events & string>(event: E, listener?: Events[E]): this {
    if (listener === undefined) {
      this.#events.delete(event);
      return this;
    }
    const entries = this.#events.get(event);
    if (entries === undefined) return this;
    const index = entries.findLastIndex((entry) => entry.listener === (listener as unknown as Listener));
    if (index !== -1) this.#remove(event, entries, index);
    return this;
  }

  removeListener<E extends keyof Events & string>(event: E, listener?: Events[E]): this {
    return this.off(event, listener);
  }

  removeAllListeners(event?: keyof Events & string): this {
    if (event === undefined) this.#events.clear();
    else this.#events.delete(event);
    return this;
  }

  listeners<E extends keyof Events & string>(event: E): Events[E][] {
    return (this.#events.get(event) ?? []).map((entry) => entry.listener as unknown as Events[E]);
  }

  rawListeners<E extends keyof Events & string>(event: E): Events[E][] {
    return this.listeners(event);
  }

  listenerCount(event: keyof Events & string): number {
    return this.#events.get(event)?.length ?? 0;
  }

  eventNames(): Array<keyof Events & string> {
    return [...this.#events.keys()];
  }

  setMaxListeners(n: number): this {
    this.#maxListeners = n;
    return this;
  }

  getMaxListeners(): number {
    return this.#maxListeners;
  }

  emit<E extends keyof Events & string>(event: E, ...args: Parameters<Events[E]>): boolean {
    const entries = this.#events.get(event);
    if (entries === undefined) return false;
    // A snapshot: listeners added or removed by a listener take effect from the next emit.
    for (const entry of [...entries]) {
      if (entry.once) {
        const current = this.#events.get(event);
        const index = current?.indexOf(entry) ?? -1;
        if (current === undefined || index === -1) continue; // removed by an earlier listener
        this.#remove(event, current, index);
      }
      try {
        entry.listener(...(args as unknown[]));
      } catch (error) {
        console.error(`[rtm-kit] a listener of "${event}" threw`, error);
      }
    }
    return true;
  }

  #add(event: string, listener: unknown, once: boolean, prepend: boolean): this {
    if (typeof listener !== 'function') throw new TypeError(`The listener of "${event}" must be a function`);
    const entry: Entry = { listener: listener as Listener, once };
    const entries = this.#events.get(event);
    if (entries === undefined) this.#events.set(event, [entry]);
    else if (prepend) entries.unshift(entry);
    else entries.push(entry);
    return this;
  }

  #remove(event: string, entries: Entry[], index: number): void {
    entries.splice(index, 1);
    if (entries.length === 0) this.#events.delete(event);
  }
}
