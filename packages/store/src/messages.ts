import type { RtmError } from '@rtm-kit/client';
import type { RtmMessage } from './rtm-api.js';

/** The delivery state of a message this user sent: shown at once, then confirmed or failed. */
export type MessageStatus = 'sending' | 'sent' | 'failed';

/** One message of a channel or a peer conversation, as a plain object. */
export interface MessageItem {
  /** Unique within the store; stable across status changes and retries. */
  readonly id: string;
  /** The sender's uid (this user's own uid for own messages). */
  readonly from: string;
  readonly message: RtmMessage;
  /**
   * Server receive time in ms for received messages (spec §2.7, "for demonstration purposes,
   * not for strict ordering"); the local send time for own messages, whose send result carries
   * no server time in 1.x.
   */
  readonly serverReceivedTs: number;
  /** Set on own messages only. */
  readonly status?: MessageStatus;
  /** Why an own message failed. */
  readonly error?: RtmError;
}

/** A message of a one-to-one conversation. */
export interface PeerMessageItem extends MessageItem {
  /** The other party of the conversation. */
  readonly peerId: string;
  /** True for a message the server kept while this user was offline (1.4.x offline messaging). */
  readonly isOfflineMessage: boolean;
  /** For own messages once sent: whether the peer was online and got it (spec §2.2). */
  readonly hasPeerReceived?: boolean;
}

/** What a send accepts: a message object, or a string as shorthand for a text message. */
export type MessageInput = RtmMessage | string;

/**
 * A private copy of the message to send: the 1.x client may write `messageType` and
 * `description` into the object it is given (spec §5), and the store keeps the original shape.
 */
export function toMessage(input: MessageInput): RtmMessage {
  return typeof input === 'string' ? { text: input, messageType: 'TEXT' } : { ...input };
}

/** Replaces the item with `id` (keeping its place) with `update(item)`. */
export function updateItem<T extends MessageItem>(list: readonly T[], id: string, update: (item: T) => T): readonly T[] {
  const index = list.findIndex((m) => m.id === id);
  if (index === -1) return list;
  const next = [...list];
  next[index] = update(list[index] as T);
  return next;
}

/** Moves the item with `id` to the end (a retried message is delivered after later ones). */
export function moveToEnd<T extends MessageItem>(list: readonly T[], id: string, update: (item: T) => T): readonly T[] {
  const item = list.find((m) => m.id === id);
  if (item === undefined) return list;
  return [...list.filter((m) => m.id !== id), update(item)];
}

/** The item without its `error` (exactOptionalPropertyTypes forbids `error: undefined`). */
export function withoutError<T extends MessageItem>(item: T): T {
  const { error: _error, ...rest } = item;
  return rest as T;
}
