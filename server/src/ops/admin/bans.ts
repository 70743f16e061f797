import { TTLCache } from '@isaacs/ttlcache';
import type { LoginCheck } from '../../core/sessions/session-service.js';

/**
 * Where an operator's bans are kept: a uid of an app that may not log in until a time. Each node
 * checks every login against it, so a fleet needs one every node shares; the memory one below
 * serves a single process.
 */
export interface BanStore {
  /** Ban `uid` of `appId` until `until` (ms since the epoch), replacing any earlier ban. */
  ban(appId: string, uid: string, until: number): Promise<void>;
  /** Lift a ban; false when there was none in force. */
  unban(appId: string, uid: string, now: number): Promise<boolean>;
  /** Until when `uid` is banned, or null when it is not banned at `now`. */
  bannedUntil(appId: string, uid: string, now: number): Promise<number | null>;
}

/** Bans kept in memory at most. */
const MAX_BANS = 100_000;

/** The longest ban the admin API sets: 30 days. */
export const MAX_BAN_SECONDS = 30 * 24 * 3600;

/**
 * Bans in this process, at most `MAX_BANS` in force; over that, the one nearest its end goes
 * first. Each entry leaves the cache when its ban ends (`@isaacs/ttlcache`); whether a ban is in
 * force is still decided against the `now` the server passes.
 */
export class MemoryBanStore implements BanStore {
  readonly #until = new TTLCache<string, number>({ max: MAX_BANS, ttl: MAX_BAN_SECONDS * 1000 });

  async ban(appId: string, uid: string, until: number): Promise<void> {
    this.#until.set(appId + uid, until, { ttl: Math.max(1, until - Date.now()) });
  }

  async unban(appId: string, uid: string, now: number): Promise<boolean> {
    const until = this.#until.get(appId + uid);
    this.#until.delete(appId + uid);
    return until !== undefined && until > now;
  }

  async bannedUntil(appId: string, uid: string, now: number): Promise<number | null> {
    const until = this.#until.get(appId + uid);
    return until !== undefined && until > now ? until : null;
  }
}

/**
 * The login check that enforces bans. Choice of code: a banned user's login is refused with
 * `LOGIN_ERR_REJECTED` (2), the 1.x code for a login the server turned down for reasons of its
 * own. The others do not fit: INVALID_TOKEN and TOKEN_EXPIRED would send an app to fetch a new
 * token and try again, NOT_AUTHORIZED is what this server answers for a resume without its
 * secret, and TOO_OFTEN invites a retry soon. The message says until when.
 */
export function banCheck(bans: BanStore, now: () => number): LoginCheck {
  return async (appId, uid) => {
    const until = await bans.bannedUntil(appId, uid, now());
    if (until === null) return null;
    return { name: 'LOGIN_ERR_REJECTED', message: `This user is banned until ${new Date(until).toISOString()}.` };
  };
}
