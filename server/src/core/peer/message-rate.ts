import { KeyedSlidingWindows, type Limits } from '@rtm-kit/protocol';

/**
 * The message budget of a client: `limits.messageRate` (180 per 3 s by default, §10.5, §9.2)
 * shared by peer and channel messages. One instance serves both services, so a client cannot
 * double its budget by mixing the two. Keyed by session: a session is one client instance.
 */
export class MessageRateLimiter {
  readonly #windows: KeyedSlidingWindows;

  constructor(limits: Pick<Limits, 'messageRate'>) {
    this.#windows = new KeyedSlidingWindows(limits.messageRate);
  }

  /** Count one message of `sessionId` at `now`; false when over budget (nothing counted). */
  tryTake(sessionId: string, now: number): boolean {
    return this.#windows.tryTake(sessionId, now);
  }
}
