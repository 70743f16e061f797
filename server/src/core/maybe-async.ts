/**
 * A step's answer at hand, or its promise. Stores that keep their state in this process answer
 * at once (the memory store); others answer with promises (Redis). The paths every message takes
 * are written over this, so that an answer already at hand costs no promise and no turn of the
 * event loop.
 */
export type MaybePromise<T> = T | Promise<T>;

/**
 * `next(value)`: at once when `value` is at hand (what `next` throws is then thrown), else once
 * it resolves (a rejection, or what `next` throws, rejects the promise returned).
 */
export function andThen<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}
