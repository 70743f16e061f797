'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChatItem } from './target.js';

export interface UseScrollFollowOptions {
  /** The list's messages, oldest first. */
  readonly items: readonly ChatItem[];
  /** Whether a message is this user's own: sending one always scrolls to it. */
  isOwn(item: ChatItem): boolean;
}

export interface UseScrollFollowResult {
  /** Whether the newest message is in view (the list follows new messages only then). */
  readonly atBottom: boolean;
  /** Messages by others that arrived while the user was reading older ones. */
  readonly unseen: number;
  /** Report where the user is: from a virtual list's at-bottom callback or a scroll handler. */
  onAtBottomChange(atBottom: boolean): void;
  /** Whether to scroll to the newest message now that messages were added. */
  shouldFollow(isAtBottom: boolean): boolean;
  /** The user jumped to the newest messages. */
  markSeen(): void;
}

/**
 * Following the newest message like a chat: stay at the bottom while the user is there (and
 * when they send), otherwise count what arrives so a "3 new messages" button can take them down.
 *
 * @example
 * const follow = useScrollFollow({ items: messages, isOwn: (m) => m.from === uid });
 * <Virtuoso followOutput={(b) => (follow.shouldFollow(b) ? 'auto' : false)} atBottomStateChange={follow.onAtBottomChange} />
 */
export function useScrollFollow({ items, isOwn }: UseScrollFollowOptions): UseScrollFollowResult {
  const [atBottom, setAtBottom] = useState(true);
  const [unseen, setUnseen] = useState(0);
  const atBottomRef = useRef(true);
  const lastId = useRef<string | null>(null);
  const latest = useRef({ items, isOwn });
  latest.current = { items, isOwn };

  useEffect(() => {
    const previous = lastId.current;
    lastId.current = items.at(-1)?.id ?? null;
    if (previous === null) return;
    let fresh = 0;
    let ownFresh = false;
    let i = items.length - 1;
    for (; i >= 0; i--) {
      const item = items[i] as ChatItem;
      if (item.id === previous) break;
      // An own message being sent takes the user down to it; anything else is news.
      if (item.status === 'sending' && isOwn(item)) ownFresh = true;
      else fresh++;
    }
    // The previous newest message is gone: the list was replaced, not appended to.
    if (i < 0) return;
    if (ownFresh) setUnseen(0);
    else if (fresh > 0 && !atBottomRef.current) setUnseen((n) => n + fresh);
  }, [items, isOwn]);

  const onAtBottomChange = useCallback((value: boolean) => {
    atBottomRef.current = value;
    setAtBottom(value);
    if (value) setUnseen(0);
  }, []);

  const shouldFollow = useCallback((isAtBottom: boolean) => {
    if (isAtBottom) return true;
    const last = latest.current.items.at(-1);
    return last !== undefined && last.status === 'sending' && latest.current.isOwn(last);
  }, []);

  const markSeen = useCallback(() => setUnseen(0), []);
  return { atBottom, unseen, onAtBottomChange, shouldFollow, markSeen };
}
