import { EventEmitter as EventEmitter3 } from 'eventemitter3';

type Listener = (...args: unknown[]) => void;

/** Listener signatures keyed by event name. */
export type EventMap = { [event: string]: (...args: never[]) => void };

/**
 * A typed, Node-style event emitter: the methods agora-rtm-sdk 1.x objects inherit
 * (`on, once, off, removeAllListeners, listeners, rawListeners, listenerCount, emit,
 * setMaxListeners`). Listener errors are isolated: one throwing listener does not stop the
 * others or the SDK, and is reported on the console.
 */
export class TypedEmitter<Events extends EventMap> {
  readonly #inner = new EventEmitter3();
  #maxListeners = 512;

  on<E extends keyof Events & string>(event: E, listener: Events[E]): this {
    this.#inner.on(event, listener as unknown as Listener);
    return this;
  }

  addListener<E extends keyof Events & string>(event: E, listener: Events[E]): this {
    return this.on(event, listener);
  }

  once<E extends keyof Events & string>(event: E, listener: Events[E]): this {
    this.#inner.once(event, listener as unknown as Listener);
    return this;
  }

  off<E extends keyof Events & string>(event: E, listener?: Events[E]): this {
    this.#inner.off(event, listener as unknown as Listener | undefined);
    return this;
  }

  removeListener<E extends keyof Events & string>(event: E, listener?: Events[E]): this {
    return this.off(event, listener);
  }

  removeAllListeners(event?: keyof Events & string): this {
    this.#inner.removeAllListeners(event);
    return this;
  }

  listeners<E extends keyof Events & string>(event: E): Events[E][] {
    return this.#inner.listeners(event) as unknown as Events[E][];
  }

  rawListeners<E extends keyof Events & string>(event: E): Events[E][] {
    return this.listeners(event);
  }

  listenerCount(event: keyof Events & string): number {
    return this.#inner.listenerCount(event);
  }

  eventNames(): Array<keyof Events & string> {
    return this.#inner.eventNames() as Array<keyof Events & string>;
  }

  setMaxListeners(n: number): this {
    this.#maxListeners = n;
    return this;
  }

  getMaxListeners(): number {
    return this.#maxListeners;
  }

  emit<E extends keyof Events & string>(event: E, ...args: Parameters<Events[E]>): boolean {
    const listeners = this.#inner.listeners(event);
    if (listeners.length === 0) return false;
    // once-listeners are removed by the inner emitter; call through it for that bookkeeping,
    // but guard each listener so an app's exception cannot break the SDK's own flow.
    for (const listener of listeners) {
      try {
        (listener as (...a: unknown[]) => void)(...args);
      } catch (error) {
        console.error(`[rtm-kit] a listener of "${event}" threw`, error);
      }
    }
    for (const listener of listeners) {
      // Remove once-listeners that were just called.
      this.#inner.removeListener(event, listener, undefined, true);
    }
    return true;
  }
}
