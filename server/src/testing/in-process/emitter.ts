type Listener = (...args: never[]) => void;

/**
 * The part of Node's EventEmitter the socket.io binding uses (`on`, `once`, `off`), without
 * `node:events`, so the in-process server runs in a browser.
 */
export class Emitter {
  readonly #listeners = new Map<string, Listener[]>();

  on(event: string, listener: Listener): this {
    const list = this.#listeners.get(event);
    if (list) list.push(listener);
    else this.#listeners.set(event, [listener]);
    return this;
  }

  once(event: string, listener: Listener): this {
    const once = Object.assign((...args: never[]) => {
      this.off(event, once);
      listener(...args);
    }, { listener });
    return this.on(event, once);
  }

  /** Without a listener, removes every listener of the event. */
  off(event: string, listener?: Listener): this {
    const list = this.#listeners.get(event);
    if (!list) return this;
    if (listener === undefined) {
      this.#listeners.delete(event);
      return this;
    }
    const i = list.findIndex((l) => l === listener || (l as { listener?: Listener }).listener === listener);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.#listeners.delete(event);
    return this;
  }

  removeListener(event: string, listener: Listener): this {
    return this.off(event, listener);
  }

  listenerCount(event: string): number {
    return this.#listeners.get(event)?.length ?? 0;
  }

  /** Calls the listeners in order (a copy of the list, so one may remove itself); true if any. */
  protected dispatch(event: string, args: readonly unknown[]): boolean {
    const list = this.#listeners.get(event);
    if (!list) return false;
    for (const listener of [...list]) (listener as (...a: unknown[]) => void)(...args);
    return true;
  }
}

/** An emitter whose owner fires its events. */
export class Events extends Emitter {
  fire(event: string, ...args: unknown[]): boolean {
    return this.dispatch(event, args);
  }
}
