import type { Clock, TimerHandle } from '../clock.js';

/**
 * Passes a request body through, and fails with `timeout()` when no bytes arrive for `idleMs`.
 * Without it a client that sends part of a chunk and then goes quiet holds its transfer slot and
 * its part file for as long as the connection stays open. Runs on the core's clock, so tests run
 * the 30 s rule with a manual clock.
 *
 * The read that was waiting is not awaited after a timeout (a body iterator only ends its pending
 * read when bytes or the end arrive): the caller answers and closes the connection, which ends it.
 */
export async function* cutWhenIdle(
  source: AsyncIterable<Uint8Array>,
  idleMs: number,
  clock: Clock,
  timeout: () => Error,
): AsyncGenerator<Uint8Array, void, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  try {
    // One step per piece of the body; the body itself is capped by the caller.
    for (;;) {
      let timer: TimerHandle | null = null;
      const idle = new Promise<never>((_, reject) => {
        timer = clock.setTimeout(() => reject(timeout()), idleMs);
      });
      let step: IteratorResult<Uint8Array>;
      try {
        step = await Promise.race([iterator.next(), idle]);
      } finally {
        if (timer !== null) clock.clearTimeout(timer);
      }
      if (step.done) {
        finished = true;
        return;
      }
      yield step.value;
    }
  } finally {
    if (!finished) void iterator.return?.()?.catch(() => undefined);
  }
}
