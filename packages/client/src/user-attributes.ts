import {
  attributeEntriesProblem,
  attributeKeysProblem,
  attributesMapEntries,
  isValidUserId,
  storedAttributesProblem,
  userAttributeCaps,
  type AttributeCaps,
  type AttributeEntry,
  type AttributeProblem,
  type ClientEventName,
  type RequestPayload,
  type RequestResult,
} from '@rtm-kit/protocol';
import type { Logger } from './config.js';
import type { Connection } from './connection.js';
import { rtmError } from './errors.js';
import { Resync } from './resync.js';

/** Attributes by key (1.x `AttributesMap`, §2.4). */
export interface AttributesMap {
  [key: string]: string;
}

/** Throws an attribute problem as the 1.x error of its code. */
export function throwAttributeProblem(problem: AttributeProblem | null): void {
  if (!problem) return;
  throw rtmError(problem.code === 'SIZE_OVERFLOW' ? 'ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW' : 'ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT', problem.message);
}

/** An app's `AttributesMap` as checked wire entries. */
export function entriesOf(map: unknown): AttributeEntry[] {
  const entries = attributesMapEntries(map);
  if (!Array.isArray(entries)) throwAttributeProblem(entries as AttributeProblem);
  return entries as AttributeEntry[];
}

/** Builds an app-facing map; `Object.fromEntries` makes own properties whatever the key. */
export function toAttributesMap(entries: readonly AttributeEntry[]): AttributesMap {
  return Object.fromEntries(entries) as AttributesMap;
}

/**
 * The local user's attributes and reading anyone's (spec §2.4, §9.6). The client keeps a copy
 * of what the server confirmed: add-or-update is checked against the merged set before sending
 * (§10.3, as the Web runtime does), and when a reconnect lands in a new session (the old one
 * ended, and its attributes with it) the copy is set again before the client reports CONNECTED.
 */
export class UserAttributes {
  readonly #connection: Connection;
  readonly #log: Logger;
  readonly #resync: Resync;
  #local = new Map<string, string>();

  constructor(connection: Connection, log: Logger) {
    this.#connection = connection;
    this.#log = log;
    this.#resync = new Resync(connection, log, 'setting the local user attributes again', () => this.#reapply());
    connection.addHooks({
      // A new server session has none of our attributes: set the local copy again, retrying
      // until the server has it (§9.6).
      ready: (info) => (info.initial || info.resumed ? undefined : this.#resync.start()),
      closed: () => {
        this.#resync.stop();
        this.#local.clear();
      },
    });
  }

  async set(attributes: unknown): Promise<void> {
    const entries = entriesOf(attributes);
    throwAttributeProblem(attributeEntriesProblem(entries, this.#caps()));
    await this.#request('attributes:setUser', { attributes: entries });
    this.#local = new Map(entries);
  }

  async addOrUpdate(attributes: unknown): Promise<void> {
    const entries = entriesOf(attributes);
    const caps = this.#caps();
    throwAttributeProblem(attributeEntriesProblem(entries, caps));
    const merged = new Map(this.#local);
    for (const [key, value] of entries) merged.set(key, value);
    throwAttributeProblem(storedAttributesProblem(merged, caps));
    await this.#request('attributes:addOrUpdateUser', { attributes: entries });
    for (const [key, value] of entries) this.#local.set(key, value);
  }

  async deleteByKeys(keys: unknown): Promise<void> {
    throwAttributeProblem(attributeKeysProblem(keys, this.#caps()));
    const list = keys as string[];
    await this.#request('attributes:deleteUser', { keys: list });
    for (const key of list) this.#local.delete(key);
  }

  async clear(): Promise<void> {
    await this.#request('attributes:clearUser', {});
    this.#local.clear();
  }

  async get(userId: unknown, keys?: unknown): Promise<AttributesMap> {
    if (!isValidUserId(userId, this.#connection.limits.idMaxLength)) throw rtmError('ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT', 'The user ID is not valid.');
    if (keys !== undefined) throwAttributeProblem(attributeKeysProblem(keys, this.#caps()));
    const { attributes } = await this.#request('attributes:getUser', { uid: userId, keys: keys === undefined ? null : (keys as string[]) });
    return toAttributesMap(attributes);
  }

  /** The old session's attributes are gone with it: set the confirmed copy again (§9.6). */
  /** Sends the whole local copy, so whichever attempt succeeds last leaves the server right. */
  async #reapply(): Promise<void> {
    if (this.#local.size === 0) return;
    await this.#request('attributes:setUser', { attributes: [...this.#local] }, true);
  }

  /** The server's caps, learned at login (the defaults before it). */
  #caps(): AttributeCaps {
    return userAttributeCaps(this.#connection.limits);
  }

  #request<E extends ClientEventName>(event: E, payload: RequestPayload<E>, restore = false): Promise<RequestResult<E>> {
    return this.#connection.request(event, payload, {
      timeoutMs: this.#connection.timing.requestTimeoutMs,
      restore,
      // Each write says what the set becomes, so sending one again after a drop is harmless.
      resendOnReconnect: true,
    });
  }
}
