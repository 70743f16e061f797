import type { Limits, Timing } from '@rtm-kit/protocol';
import type { Clock } from './clock.js';
import type { Router } from './router.js';
import type { RateLimitStore } from './rate-limits.js';
import type { Scheduler } from './scheduler.js';
import type { CoreLog } from './log.js';

export type { CoreLog } from './log.js';

/**
 * What every core service is built with: how to reach clients, what time it is, where deadlines
 * wait, where rate limits count, the configured limits and timings, and where to log. `createCore` makes one and hands it to each service.
 */
export interface ServiceContext {
  readonly router: Router;
  readonly clock: Clock;
  /** Deadlines that outlive this node (grace periods, token expiry, invitation timeouts). */
  readonly scheduler: Scheduler;
  /** Where rate limits count calls (the store's part). */
  readonly rateLimits: RateLimitStore;
  readonly limits: Limits;
  readonly timing: Timing;
  readonly log: CoreLog;
}
