import {
  attributeEntriesProblem,
  attributeKeysProblem,
  channelAttributeCaps,
  isValidChannelId,
  type AttributeCaps,
  type ChannelAttributesUpdate,
  type ChannelAttributeWire,
  type ClientEventName,
  type RequestPayload,
  type RequestResult,
} from '@rtm-kit/protocol';
import type { ChannelRegistry } from './channel-registry.js';
import type { Connection } from './connection.js';
import { rtmError } from './errors.js';
import type { ChannelAttributes } from './rtm-channel.js';
import { entriesOf, throwAttributeProblem } from './user-attributes.js';

/** Options of a channel attribute write (1.x `ChannelAttributeOptions`, §2.5). */
export interface ChannelAttributeOptions {
  /** Send `AttributesUpdated` with the whole map to the channel's joined members. Default false. */
  enableNotificationToChannelMembers?: boolean;
}

/** The 1.x shape of a channel's attributes, built with own properties only. */
export function toChannelAttributes(attributes: readonly ChannelAttributeWire[]): ChannelAttributes {
  return Object.fromEntries(
    attributes.map((a) => [a.key, { value: a.value, lastUpdateUserId: a.lastUpdateUserId, lastUpdateTs: a.lastUpdateTs }]),
  ) as ChannelAttributes;
}

/**
 * Channel attributes (spec §2.5): read and written without joining. Per-call rules are checked
 * here; the whole channel's limits (32 attributes, 32 KB) only the server can check, since it
 * alone sees every writer. Notifications go to the joined `RtmChannel` as `AttributesUpdated`;
 * an update older than one already shown for that channel is dropped, so two writers racing
 * cannot leave a member on a stale map.
 */
export class ChannelAttributesApi {
  readonly #connection: Connection;
  readonly #channels: ChannelRegistry;
  /** The newest revision shown per channel. */
  readonly #revisions = new Map<string, number>();

  constructor(connection: Connection, channels: ChannelRegistry) {
    this.#connection = connection;
    this.#channels = channels;
    connection.onServer('attributes:channelUpdated', (update) => this.#updated(update));
    connection.addHooks({
      // A new session may be on a restarted server whose revisions begin again.
      ready: (info) => {
        if (!info.resumed) this.#revisions.clear();
      },
      closed: () => this.#revisions.clear(),
    });
  }

  set(channelId: unknown, attributes: unknown, options?: unknown): Promise<void> {
    return this.#writeEntries('attributes:setChannel', channelId, attributes, options);
  }

  addOrUpdate(channelId: unknown, attributes: unknown, options?: unknown): Promise<void> {
    return this.#writeEntries('attributes:addOrUpdateChannel', channelId, attributes, options);
  }

  async deleteByKeys(channelId: unknown, keys: unknown, options?: unknown): Promise<void> {
    const id = this.#checkChannel(channelId);
    const notify = notifyOf(options);
    throwAttributeProblem(attributeKeysProblem(keys, this.#caps()));
    await this.#request('attributes:deleteChannel', { channelId: id, keys: keys as string[], notify });
  }

  async clear(channelId: unknown, options?: unknown): Promise<void> {
    const id = this.#checkChannel(channelId);
    await this.#request('attributes:clearChannel', { channelId: id, notify: notifyOf(options) });
  }

  async get(channelId: unknown, keys?: unknown): Promise<ChannelAttributes> {
    const id = this.#checkChannel(channelId);
    if (keys !== undefined) throwAttributeProblem(attributeKeysProblem(keys, this.#caps()));
    const { attributes } = await this.#request('attributes:getChannel', { channelId: id, keys: keys === undefined ? null : (keys as string[]) });
    return toChannelAttributes(attributes);
  }

  /** A set or add-or-update: the checks of both, in the 1.x order, then the request. */
  async #writeEntries(
    event: 'attributes:setChannel' | 'attributes:addOrUpdateChannel',
    channelId: unknown,
    attributes: unknown,
    options: unknown,
  ): Promise<void> {
    const id = this.#checkChannel(channelId);
    const notify = notifyOf(options);
    const entries = entriesOf(attributes);
    throwAttributeProblem(attributeEntriesProblem(entries, this.#caps()));
    await this.#request(event, { channelId: id, attributes: entries, notify });
  }

  #updated(update: ChannelAttributesUpdate): void {
    const channel = this.#channels.joined(update.channelId);
    if (!channel) return;
    if (update.revision <= (this.#revisions.get(update.channelId) ?? 0)) return;
    this.#revisions.set(update.channelId, update.revision);
    channel.notifyAttributesUpdated(toChannelAttributes(update.attributes));
  }

  /** The server's caps, learned at login (the defaults before it). */
  #caps(): AttributeCaps {
    return channelAttributeCaps(this.#connection.limits);
  }

  #checkChannel(channelId: unknown): string {
    const max = this.#connection.limits.idMaxLength;
    if (!isValidChannelId(channelId, max)) {
      throw rtmError('ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT', `The channel ID must be 1–${max} characters of the allowed set and not "null".`);
    }
    return channelId;
  }

  #request<E extends ClientEventName>(event: E, payload: RequestPayload<E>): Promise<RequestResult<E>> {
    return this.#connection.request(event, payload, {
      timeoutMs: this.#connection.timing.requestTimeoutMs,
      resendOnReconnect: true,
    });
  }
}

function notifyOf(options: unknown): boolean {
  if (options === undefined || options === null) return false;
  if (typeof options !== 'object') throw rtmError('ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT', 'The options must be a ChannelAttributeOptions object.');
  const flag = (options as ChannelAttributeOptions).enableNotificationToChannelMembers;
  if (flag !== undefined && typeof flag !== 'boolean') {
    throw rtmError('ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT', 'enableNotificationToChannelMembers must be a boolean.');
  }
  return flag === true;
}
