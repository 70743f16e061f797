/**
 * Runs tasks one after another per key, across awaits. Socket.io keeps the order of one
 * connection's packets, but async handlers interleave; peer and channel messages must leave in
 * the order they came (per sender, and per channel so that `seq` order is delivery order).
 * Node-local: with several nodes, order holds for what one node handles.
 */
export class SerialQueues {
  readonly #tails = new Map<string, Promise<void>>();

  /** Run `task` after every earlier task of `key` settled; resolves with its result. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    // Forget the key once nothing is queued behind this task, so the map stays small.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Keys with queued work (for tests and diagnostics). */
  get size(): number {
    return this.#tails.size;
  }
}
