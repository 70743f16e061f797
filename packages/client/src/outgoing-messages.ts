import { SlidingWindow, type RateLimit } from '@rtm-kit/protocol';

/**
 * What peer and channel messages share on the sending side: one budget (§9.2, §10.5: 180
 * messages per 3 s for both together, checked here before sending and enforced again by the
 * server) and ids that make a retry after a reconnect recognisable to the server.
 */
export class MessageBudget {
  #limit: RateLimit | null = null;
  #window: SlidingWindow | null = null;

  /**
   * Count one message now against `limit` (the server's `messageRate`, `connection.limits`);
   * false when the budget is spent (nothing counted). A different limit (another server) starts
   * a fresh window.
   */
  tryTake(limit: RateLimit): boolean {
    if (this.#window === null || this.#limit?.count !== limit.count || this.#limit.windowMs !== limit.windowMs) {
      this.#limit = limit;
      this.#window = new SlidingWindow(limit);
    }
    return this.#window.tryTake(Date.now());
  }
}

/** The message of a send refused by the budget (§9.2: "exceeded the 180 message in 3 seconds"). */
export function budgetSpent(limit: RateLimit): string {
  return `Exceeded the limit of ${limit.count} peer and channel messages in ${limit.windowMs / 1000} seconds.`;
}

export { newMessageId } from './ids.js';
