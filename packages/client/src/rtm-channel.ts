import type { ChannelRegistry } from './channel-registry.js';
import { TypedEmitter } from './emitter.js';
import type { ReceivedMessageProperties, RtmMessage, SendMessageOptions } from './messages.js';

/** One channel attribute as 1.x reports it (§2.5). */
export interface ChannelAttributeProperties {
  value: string;
  lastUpdateUserId: string;
  /** ms since the epoch. */
  lastUpdateTs: number;
}

/** All attributes of a channel, by key (§2.5). */
export interface ChannelAttributes {
  [key: string]: ChannelAttributeProperties;
}

/** Events of `RtmChannel` (1.x `RtmEvents.RtmChannelEvents`, §3.1). */
export interface RtmChannelEvents {
  [event: string]: (...args: never[]) => void;
  /** A message from another member; your own messages never come back (§3.1). */
  ChannelMessage: (message: RtmMessage, memberId: string, messageProps: ReceivedMessageProperties) => void;
  /** A remote member joined. Not sent while the channel has more than 512 members. */
  MemberJoined: (memberId: string) => void;
  /** A remote member left, or was disconnected for 30 s. Not sent above 512 members. */
  MemberLeft: (memberId: string) => void;
  /** The full attribute map, when a writer asked to notify members (§2.5). */
  AttributesUpdated: (attributes: ChannelAttributes) => void;
  /** Right after joining, then on changes: at most once per second (3 s above 512 members). */
  MemberCountUpdated: (memberCount: number) => void;
}

/**
 * A channel (1.x `RtmChannel`, §3). Create it with `client.createChannel(channelId)` (allowed
 * before login), then `join()`. Joined channels are joined again by themselves after a
 * reconnect; `logout()` leaves them all.
 *
 * @example
 * const channel = client.createChannel('lobby');
 * channel.on('ChannelMessage', (message, memberId) => console.log(memberId, message));
 * await channel.join();
 * await channel.sendMessage({ text: 'hello' });
 */
export class RtmChannel extends TypedEmitter<RtmChannelEvents> {
  readonly channelId: string;
  readonly #registry: ChannelRegistry;

  /** @internal use `client.createChannel(channelId)` */
  constructor(channelId: string, registry: ChannelRegistry) {
    super();
    this.channelId = channelId;
    this.#registry = registry;
  }

  /**
   * Join the channel. Rejects with `JoinChannelError`: 102 not logged in, 6 this object is
   * joined already, 202 another object of this channel ID is joined, 5 in 20 channels already,
   * 8 the same channel more than twice in 5 s, 7 more than 50 joins in 3 s, 4 timeout (10 s).
   */
  join(): Promise<void> {
    return this.#registry.join(this);
  }

  /** Leave the channel; the other members get `MemberLeft`. Rejects 3 when not joined, 102 when logged out. */
  leave(): Promise<void> {
    return this.#registry.leave(this);
  }

  /**
   * Send a message to the other members (TEXT, RAW, or 1.4.x FILE/IMAGE). 32 KB at most; 180
   * peer and channel messages per 3 s; 10 s timeout. While RECONNECTING it waits for the
   * connection. `messageOptions` (1.4.x) is accepted and has no effect on channel messages.
   */
  sendMessage(message: RtmMessage, messageOptions?: SendMessageOptions): Promise<void> {
    return this.#registry.send(this, message, messageOptions);
  }

  /** The members of the joined channel, you included; at most 512 (a random subset above). */
  getMembers(): Promise<string[]> {
    return this.#registry.getMembers(this);
  }

  /**
   * @internal Channel attributes report changes through this (issue 4): emits
   * `AttributesUpdated` with the full map.
   */
  notifyAttributesUpdated(attributes: ChannelAttributes): void {
    this.emit('AttributesUpdated', attributes);
  }
}
