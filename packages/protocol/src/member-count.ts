import type { MemberCountThrottle } from './events/channel.js';

/**
 * How long `MemberCountUpdated` for a channel now at `count` members must wait, when the last one
 * went out at `lastAt` (§3.1, §9.4): 0 when it may go out now. The period is longer above
 * `largeAbove` members. The server throttles what it sends with it and the client what it
 * reports, with the periods the server hands out at each join.
 */
export function memberCountDelayMs(throttle: MemberCountThrottle, lastAt: number, count: number, now: number): number {
  const period = count > throttle.largeAbove ? throttle.largePeriodMs : throttle.periodMs;
  return Math.max(0, lastAt + period - now);
}
