import {
  attributeEntriesProblem,
  attributeKeysProblem,
  channelAttributeCaps,
  isValidChannelId,
  type AttributeCaps,
  type AttributeEntry,
} from '@rtm-kit/protocol';
import { CoreError } from '../errors.js';
import { RateLimiter } from '../rate-limits.js';
import type { AttributeWrite, ChannelAttributeStore, StoredChannelAttribute } from './store.js';
import { failOn, userKey, type AttributeActor } from './user-attribute-service.js';
import type { ServiceContext } from '../context.js';
import { deadlineKey, parseDeadlineKey } from '../scheduler.js';

/** The deadline that clears an empty channel's attributes, keyed by `deadlineKey(appId, channelId)`. */
const EXPIRE = 'channelAttributes.expire';

/** How the attributes domain learns whether a channel has members (the channels domain). */
export interface ChannelOccupancy {
  /** Members of the channel right now. */
  memberCount(appId: string, channelId: string): Promise<number>;
}

export interface ChannelAttributeServiceDeps extends ServiceContext {
  readonly store: ChannelAttributeStore;
  readonly occupancy: ChannelOccupancy;
}

/** Options of one write call (§2.5 `ChannelAttributeOptions`). */
export interface ChannelWriteOptions {
  readonly notify: boolean;
}

/**
 * Channel attributes (spec §2.5, §9.6, §10.3): anyone logged in reads and writes them without
 * joining; each value carries who wrote it last and when; a writer may notify the joined members
 * with the whole map for that call. A channel that has been empty for `emptyChannelAttributesMs`
 * loses its attributes, including a channel nobody ever joined.
 *
 * Choices where the spec is open: the writer, if joined, gets the notification too (the runtime
 * does not filter it, §2.5); the "couple of minutes" is 2 minutes by default (§14); the empty
 * period of a channel nobody joined starts with its first attribute and is not restarted by
 * later writes, since writing does not make a channel any less empty.
 */
export class ChannelAttributeService {
  readonly #d: ChannelAttributeServiceDeps;
  readonly #caps: AttributeCaps;
  /** Per user, across channels (§10.5). */
  readonly #writeRate: RateLimiter;
  readonly #readRate: RateLimiter;

  constructor(deps: ChannelAttributeServiceDeps) {
    this.#d = deps;
    this.#caps = channelAttributeCaps(deps.limits);
    this.#writeRate = new RateLimiter(deps.rateLimits, 'channelAttributeWrite', deps.limits.channelAttributeWriteRate);
    this.#readRate = new RateLimiter(deps.rateLimits, 'channelAttributeRead', deps.limits.channelAttributeReadRate);
    deps.scheduler.handle(EXPIRE, (key, dueAt) => {
      const [appId, channelId] = parseDeadlineKey(key);
      if (appId === undefined || channelId === undefined) return Promise.resolve();
      return this.#expire(appId, channelId, dueAt - deps.timing.emptyChannelAttributesMs);
    });
  }

  async set(actor: AttributeActor, channelId: string, entries: readonly AttributeEntry[], options: ChannelWriteOptions) {
    return this.#write(actor, channelId, options, () => {
      failOn(attributeEntriesProblem(entries, this.#caps));
      return { kind: 'set', entries };
    });
  }

  async addOrUpdate(actor: AttributeActor, channelId: string, entries: readonly AttributeEntry[], options: ChannelWriteOptions) {
    return this.#write(actor, channelId, options, () => {
      failOn(attributeEntriesProblem(entries, this.#caps));
      return { kind: 'addOrUpdate', entries };
    });
  }

  async deleteByKeys(actor: AttributeActor, channelId: string, keys: readonly string[], options: ChannelWriteOptions) {
    return this.#write(actor, channelId, options, () => {
      failOn(attributeKeysProblem(keys, this.#caps));
      return { kind: 'delete', keys: [...new Set(keys)] };
    });
  }

  async clear(actor: AttributeActor, channelId: string, options: ChannelWriteOptions) {
    return this.#write(actor, channelId, options, () => ({ kind: 'clear' }));
  }

  /** `getChannelAttributes` / `getChannelAttributesByKeys` (`keys` null: all). */
  async get(actor: AttributeActor, channelId: string, keys: readonly string[] | null): Promise<StoredChannelAttribute[]> {
    await this.#readRate.take(userKey(actor), this.#d.clock.now(), 'ATTRIBUTE_OPERATION_ERR_TOO_OFTEN', 'Reading channel attributes');
    this.#checkChannel(channelId);
    if (keys !== null) failOn(attributeKeysProblem(keys, this.#caps));
    return this.#d.store.getChannelAttributes(actor.appId, channelId, keys === null ? null : [...new Set(keys)]);
  }

  /** The channel's last member left: its attributes go once it stays empty long enough. */
  async channelEmptied(appId: string, channelId: string): Promise<void> {
    const now = this.#d.clock.now();
    if (await this.#d.store.markChannelEmpty(appId, channelId, now)) await this.#schedule(appId, channelId, now);
  }

  /** Someone joined: the channel keeps its attributes. */
  async channelOccupied(appId: string, channelId: string): Promise<void> {
    await this.#d.scheduler.cancel(EXPIRE, deadlineKey(appId, channelId));
    await this.#d.store.markChannelEmpty(appId, channelId, null);
  }

  /**
   * The call is counted before the channel ID and `prepare` check anything (refused calls cost as
   * much of the budget as accepted ones). No await before the store call: writes reach the store
   * in the order they arrived.
   */
  async #write(actor: AttributeActor, channelId: string, options: ChannelWriteOptions, prepare: () => AttributeWrite): Promise<void> {
    await this.#writeRate.take(userKey(actor), this.#d.clock.now(), 'ATTRIBUTE_OPERATION_ERR_TOO_OFTEN', 'Setting channel attributes');
    this.#checkChannel(channelId);
    const write = prepare();
    const now = this.#d.clock.now();
    // A channel that had no attributes is taken to be empty from now; the clear re-checks the
    // members before it acts, so a channel that has members in fact keeps its attributes.
    const result = await this.#d.store.writeChannelAttributes(
      actor.appId,
      channelId,
      write,
      { uid: actor.uid, at: now },
      { maxCount: this.#caps.storedMax, maxBytes: this.#caps.totalMaxBytes },
      now,
    );
    if (!result.ok) {
      throw new CoreError(
        'ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW',
        `A channel holds at most ${this.#caps.storedMax} attributes of at most ${this.#caps.totalMaxBytes} bytes in total (keys and values, UTF-8).`,
      );
    }
    if (result.emptySince !== null && result.attributes.length > 0) await this.#schedule(actor.appId, channelId, result.emptySince);
    if (options.notify) {
      this.#d.router.toChannel(actor.appId, channelId, 'attributes:channelUpdated', {
        channelId,
        revision: result.revision,
        attributes: result.attributes,
      });
    }
  }

  /** Clear the channel's attributes `emptyChannelAttributesMs` after `emptySince` (as stored). */
  #schedule(appId: string, channelId: string, emptySince: number): Promise<void> {
    return this.#d.scheduler.schedule(EXPIRE, deadlineKey(appId, channelId), emptySince + this.#d.timing.emptyChannelAttributesMs);
  }

  /**
   * Clears the channel if it is still empty since `emptySince`. The bound comes from the time the
   * deadline was set for, not one read from the clock when it fires (timers may fire a millisecond
   * early); an empty period that started later has moved the deadline.
   */
  async #expire(appId: string, channelId: string, emptySince: number): Promise<void> {
    if ((await this.#d.occupancy.memberCount(appId, channelId)) > 0) {
      await this.#d.store.markChannelEmpty(appId, channelId, null);
      return;
    }
    await this.#d.store.expireChannelAttributes(appId, channelId, emptySince);
  }

  #checkChannel(channelId: string): void {
    if (!isValidChannelId(channelId, this.#d.limits.idMaxLength)) {
      throw new CoreError('ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT', 'The channel ID is not valid.');
    }
  }
}
