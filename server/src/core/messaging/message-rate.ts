import type { Limits } from '@rtm-kit/protocol';
import { RateLimiter, type RateLimitStore } from '../rate-limits.js';

/**
 * The message budget of a client: `limits.messageRate` (180 per 3 s by default, §10.5, §9.2)
 * shared by peer and channel messages. One instance serves both services, so a client cannot
 * double its budget by mixing the two. Keyed by session: a session is one client instance.
 * Each service takes from it with its own TOO_OFTEN code.
 */
export class MessageRateLimiter extends RateLimiter {
  constructor(store: RateLimitStore, limits: Pick<Limits, 'messageRate'>) {
    super(store, 'messages', limits.messageRate);
  }
}

/** How a refused message is described (`RateLimiter.take`'s `what`). */
export const MESSAGE_RATE_WHAT = 'Sending peer and channel messages';
