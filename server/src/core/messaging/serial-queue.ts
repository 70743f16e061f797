import type { MaybePromise } from '../maybe-async.js';

/**
 * Runs tasks one after another per key, across awaits. Socket.io keeps the order of one
 * connection's packets, but async handlers interleave; peer and channel messages must leave in
 * the order they came (per sender, and per channel so that `seq` order is delivery order).
 * Node-local: with several nodes, order holds for what one node handles.
 *
 * A task may answer at once (with the memory store, the peer path does for a message to a
 * receiver with a live connection): when nothing of its key is queued, it runs at once and its
 * answer, or what it throws, is `run`'s, with no promise and no entry in the map. Only a task that
 * answers with a promise holds its key.
 */
export class SerialQueues {
  readonly #tails = new Map<string, Promise<void>>();

  /** Run `task` after every earlier task of `key` settled; answers with its result. */
  run<T>(key: string, task: () => MaybePromise<T>): MaybePromise<T> {
    const previous = this.#tails.get(key);
    const result = previous ? previous.then(task) : task();
    if (result instanceof Promise) this.#hold(key, result);
    return result;
  }

  /** Keys with queued work (for tests and diagnostics). */
  get size(): number {
    return this.#tails.size;
  }

  /** `key`'s next task waits for `result` to settle. */
  #hold(key: string, result: Promise<unknown>): void {
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    // Forget the key once nothing is queued behind this task, so the map stays small.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
  }
}
