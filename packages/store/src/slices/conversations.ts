import { KeyedListeners } from '../listeners.js';
import { moveToEnd, toMessage, updateItem, withoutError, type MessageInput, type PeerMessageItem } from '../messages.js';
import type { RtmMessage, ReceivedMessageProperties, SendMessageOptions } from '../rtm-api.js';
import { appendCapped, toRtmError, type Slice, type SliceContext } from '../slice.js';
import { keyed, withEntry } from '../records.js';

/** A one-to-one conversation with a peer. */
export interface Conversation {
  readonly peerId: string;
  /** Received (offline ones included, marked) and own messages, in the order seen here. */
  readonly messages: readonly PeerMessageItem[];
}

/** Listen to one peer's messages, or to every peer's with `ANY_PEER`. */
export const ANY_PEER = '*';

export interface ConversationsSlice {
  readonly conversations: { readonly [peerId: string]: Conversation };
  /**
   * Send a peer message. Listed at once with status `sending`, then `sent` (with
   * `hasPeerReceived`) or `failed`. Never rejects: resolves with the settled message.
   * `options` are the 1.4.x `SendMessageOptions` (offline messaging).
   */
  sendPeerMessage(peerId: string, message: MessageInput, options?: SendMessageOptions): Promise<PeerMessageItem>;
  /** Send a failed own message again, with its original options (it moves to the end). */
  retryPeerMessage(peerId: string, messageId: string): Promise<PeerMessageItem | null>;
  /** Call `listener` for every message received from `peerId` (or from anyone: `ANY_PEER`). */
  onPeerMessage(peerId: string, listener: (item: PeerMessageItem) => void): () => void;
}

/** The conversations slice: every peer message received, and own sends with their status. */
export function createConversationsSlice(ctx: SliceContext): Slice<ConversationsSlice> {
  const { client } = ctx;
  const listeners = new KeyedListeners<string, [PeerMessageItem]>();
  const sendOptions = new Map<string, SendMessageOptions>();

  function update(peerId: string, change: (messages: readonly PeerMessageItem[]) => readonly PeerMessageItem[]): void {
    ctx.set((s) => {
      const current = s.conversations[peerId];
      const messages = change(current?.messages ?? []);
      if (current !== undefined && messages === current.messages) return s;
      return { conversations: withEntry(s.conversations, peerId, { peerId, messages }) };
    });
  }

  function append(peerId: string, item: PeerMessageItem): void {
    update(peerId, (messages) => appendCapped(messages, item, ctx.options.maxMessages));
  }

  async function deliver(item: PeerMessageItem): Promise<PeerMessageItem> {
    const session = ctx.session();
    let settled: PeerMessageItem;
    try {
      const options = sendOptions.get(item.id);
      const message = toMessage(item.message);
      const result = options === undefined
        ? await client.sendMessageToPeer(message, item.peerId)
        : await client.sendMessageToPeer(message, item.peerId, { ...options });
      settled = { ...item, status: 'sent', hasPeerReceived: result.hasPeerReceived };
      sendOptions.delete(item.id);
    } catch (error) {
      settled = { ...item, status: 'failed', error: toRtmError(error) };
    }
    // A send cut off by a logout settles for its caller, not in the next session's list.
    if (ctx.session() === session) update(item.peerId, (messages) => updateItem(messages, item.id, () => settled));
    return settled;
  }

  return {
    state: {
      conversations: keyed(),
      sendPeerMessage(peerId, input, options) {
        const item: PeerMessageItem = {
          id: ctx.nextId('m'),
          peerId,
          from: ctx.get().connection.uid ?? '',
          message: toMessage(input),
          serverReceivedTs: Date.now(),
          isOfflineMessage: false,
          status: 'sending',
        };
        if (options !== undefined) sendOptions.set(item.id, { ...options });
        append(peerId, item);
        return deliver(item);
      },
      async retryPeerMessage(peerId, messageId) {
        const failed = ctx.get().conversations[peerId]?.messages.find((m) => m.id === messageId && m.status === 'failed');
        if (failed === undefined) return null;
        const item: PeerMessageItem = { ...withoutError(failed), status: 'sending', serverReceivedTs: Date.now() };
        update(peerId, (messages) => moveToEnd(messages, messageId, () => item));
        return deliver(item);
      },
      onPeerMessage(peerId, listener) {
        return listeners.add(peerId, listener);
      },
    },
    attach() {
      const onMessage = (message: RtmMessage, peerId: string, props: ReceivedMessageProperties) => {
        const item: PeerMessageItem = {
          id: ctx.nextId('m'),
          peerId,
          from: peerId,
          message,
          serverReceivedTs: props.serverReceivedTs,
          isOfflineMessage: props.isOfflineMessage === true,
        };
        append(peerId, item);
        listeners.emit(peerId, item);
        listeners.emit(ANY_PEER, item);
      };
      client.on('MessageFromPeer', onMessage);
      return () => client.off('MessageFromPeer', onMessage);
    },
    reset() {
      sendOptions.clear();
      return { conversations: keyed() };
    },
  };
}
