import {
  attributeEntriesProblem,
  attributeKeysProblem,
  isValidUserId,
  userAttributeCaps,
  type AttributeCaps,
  type AttributeEntry,
  type AttributeProblem,
} from '@rtm-kit/protocol';
import { CoreError } from '../errors.js';
import { RateLimiter } from '../rate-limits.js';
import type { SessionLifecycleListener } from '../sessions/lifecycle.js';
import type { SessionActor, SessionRecord } from '../sessions/store.js';
import type { AttributeWrite, UserAttributeStore } from './store.js';

/** The session a request comes from; the uid is always the session's own. */
export type AttributeActor = SessionActor;
import type { ServiceContext } from '../context.js';

export interface UserAttributeServiceDeps extends ServiceContext {
  readonly store: UserAttributeStore;
}

/**
 * User attributes (spec §2.4, §9.6, §10.3): each user writes its own set, anyone reads anyone's.
 * A set lives exactly as long as the session that wrote it, so logging out or running out the
 * grace period clears it; a client whose session was replaced re-applies its copy.
 *
 * Reading the attributes of a user who is not logged in answers an empty map (§14 leaves this
 * open): the attributes really are gone, an app that shows a member's name should not have to
 * catch an error for a member who just left, and `USER_NOT_FOUND` is never produced by the Web
 * runtime (§8).
 *
 * Every call is counted against its rate limit before its keys and values are checked, so a
 * client cannot make the server check item after item faster than the limit allows.
 */
export class UserAttributeService implements SessionLifecycleListener {
  readonly #d: UserAttributeServiceDeps;
  readonly #caps: AttributeCaps;
  /** Per user (§10.5: per client; a user has one client at a time). */
  readonly #writeRate: RateLimiter;
  readonly #readRate: RateLimiter;

  constructor(deps: UserAttributeServiceDeps) {
    this.#d = deps;
    this.#caps = userAttributeCaps(deps.limits);
    this.#writeRate = new RateLimiter(deps.rateLimits, 'userAttributeWrite', deps.limits.userAttributeWriteRate);
    this.#readRate = new RateLimiter(deps.rateLimits, 'userAttributeRead', deps.limits.userAttributeReadRate);
  }

  async started(session: SessionRecord): Promise<void> {
    await this.#d.store.openUserAttributes(session.appId, session.uid, session.sessionId);
  }

  async ended(session: SessionRecord): Promise<void> {
    await this.#d.store.closeUserAttributes(session.appId, session.uid, session.sessionId);
  }

  /** `setLocalUserAttributes`: replace the whole set. */
  async set(actor: AttributeActor, entries: readonly AttributeEntry[]): Promise<void> {
    return this.#write(actor, () => {
      failOn(attributeEntriesProblem(entries, this.#caps));
      return { kind: 'set', entries };
    });
  }

  /** `addOrUpdateLocalUserAttributes`: the merged set must stay within 16 KB (§10.3). */
  async addOrUpdate(actor: AttributeActor, entries: readonly AttributeEntry[]): Promise<void> {
    return this.#write(actor, () => {
      failOn(attributeEntriesProblem(entries, this.#caps));
      return { kind: 'addOrUpdate', entries };
    });
  }

  async deleteByKeys(actor: AttributeActor, keys: readonly string[]): Promise<void> {
    return this.#write(actor, () => {
      failOn(attributeKeysProblem(keys, this.#caps));
      return { kind: 'delete', keys: [...new Set(keys)] };
    });
  }

  async clear(actor: AttributeActor): Promise<void> {
    return this.#write(actor, () => ({ kind: 'clear' }));
  }

  /** `getUserAttributes` / `getUserAttributesByKeys` (`keys` null: all). */
  async get(actor: AttributeActor, uid: string, keys: readonly string[] | null): Promise<AttributeEntry[]> {
    await this.#readRate.take(userKey(actor), this.#d.clock.now(), 'ATTRIBUTE_OPERATION_ERR_TOO_OFTEN', 'Reading user attributes');
    if (!isValidUserId(uid, this.#d.limits.idMaxLength)) {
      throw new CoreError('ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT', 'The user ID is not valid.');
    }
    if (keys !== null) failOn(attributeKeysProblem(keys, this.#caps));
    return this.#d.store.getUserAttributes(actor.appId, uid, keys === null ? null : [...new Set(keys)]);
  }

  /**
   * The call is counted before `prepare` checks its items (so refused calls cost as much of the
   * budget as accepted ones, and no more than one check per call). No await before the store
   * call: writes reach the store in the order they arrived.
   */
  async #write(actor: AttributeActor, prepare: () => AttributeWrite): Promise<void> {
    await this.#writeRate.take(userKey(actor), this.#d.clock.now(), 'ATTRIBUTE_OPERATION_ERR_TOO_OFTEN', 'Setting user attributes');
    const write = prepare();
    const result = await this.#d.store.writeUserAttributes(actor.appId, actor.uid, actor.sessionId, write, {
      maxCount: this.#caps.storedMax,
      maxBytes: this.#caps.totalMaxBytes,
    });
    if (result.ok) return;
    if (result.reason === 'SIZE_OVERFLOW') {
      throw new CoreError(
        'ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW',
        `A user's attributes must total at most ${this.#caps.totalMaxBytes} bytes (keys and values, UTF-8).`,
      );
    }
    throw new CoreError('ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN', 'This session has ended.');
  }
}

/** The rate-limit key of the acting user (app IDs are exactly 32 characters). */
export function userKey(actor: AttributeActor): string {
  return actor.appId + actor.uid;
}

/** Throws the attribute problem, if any, as the operation's error. */
export function failOn(problem: AttributeProblem | null): void {
  if (!problem) return;
  throw new CoreError(
    problem.code === 'SIZE_OVERFLOW' ? 'ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW' : 'ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT',
    problem.message,
  );
}
