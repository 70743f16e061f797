import type { ChatItem } from '../target.js';

/**
 * The state a message shows (its `data-state`): `received` for others' messages, and for own
 * ones `sending`, `sent`, `failed`, or, for a peer who was offline, `stored` (kept by the server
 * with offline messaging, 1.x `hasPeerReceived: false`) or `undelivered` (sent without it).
 */
export type ChatMessageState = 'received' | 'sending' | 'sent' | 'failed' | 'stored' | 'undelivered';

/** One message as the list shows it. Rows are reused while nothing about them changes. */
export interface ChatRow {
  readonly item: ChatItem;
  readonly own: boolean;
  /** First of a run of messages by one sender: the sender's name is shown once per group. */
  readonly groupStart: boolean;
  /** First message of a calendar day (local time): a day separator goes above it. */
  readonly dayStart: boolean;
  /** Local midnight of the message's day, in ms. */
  readonly day: number;
  readonly state: ChatMessageState;
}

/** Messages of one sender further apart than this start a new group. */
export const GROUP_GAP_MS = 5 * 60_000;

export function messageState(item: ChatItem, offlineMessaging: boolean): ChatMessageState {
  switch (item.status) {
    case undefined:
      return 'received';
    case 'sending':
    case 'failed':
      return item.status;
    case 'sent':
      if ('hasPeerReceived' in item && item.hasPeerReceived === false) return offlineMessaging ? 'stored' : 'undelivered';
      return 'sent';
    default: {
      const unknown: never = item.status;
      return unknown;
    }
  }
}

/** Local midnight of `ts`. */
export function dayOf(ts: number): number {
  const date = new Date(ts);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

/**
 * Builds rows from messages, reusing the row object of every message whose grouping and state
 * did not change, so memoized row components skip all but the rows that did: one new message
 * renders one new row (and at most re-renders the row before it), not the whole list.
 */
export class RowBuilder {
  #cache = new WeakMap<ChatItem, ChatRow>();
  #uid: string | null = null;
  #offlineMessaging = true;

  build(messages: readonly ChatItem[], uid: string | null, offlineMessaging: boolean): readonly ChatRow[] {
    if (uid !== this.#uid || offlineMessaging !== this.#offlineMessaging) {
      this.#cache = new WeakMap();
      this.#uid = uid;
      this.#offlineMessaging = offlineMessaging;
    }
    const rows: ChatRow[] = new Array<ChatRow>(messages.length);
    let previous: ChatRow | null = null;
    for (let i = 0; i < messages.length; i++) {
      const item = messages[i] as ChatItem;
      const cached = this.#cache.get(item);
      const day = cached?.day ?? dayOf(item.serverReceivedTs);
      const dayStart = previous === null || previous.day !== day;
      const groupStart =
        dayStart ||
        previous === null ||
        previous.item.from !== item.from ||
        item.serverReceivedTs - previous.item.serverReceivedTs > GROUP_GAP_MS;
      const state = messageState(item, offlineMessaging);
      let row: ChatRow;
      if (cached !== undefined && cached.dayStart === dayStart && cached.groupStart === groupStart && cached.state === state) {
        row = cached;
      } else {
        row = { item, own: uid !== null && item.from === uid, groupStart, dayStart, day, state };
        this.#cache.set(item, row);
      }
      rows[i] = row;
      previous = row;
    }
    return rows;
  }
}
