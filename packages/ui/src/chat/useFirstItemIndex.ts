'use client';

import { useMemo, useRef } from 'react';
import { useIsomorphicLayoutEffect } from './internal.js';

/** Virtual lists need a positive first index with room to prepend below it. */
export const FIRST_INDEX = 1_000_000_000;

interface Anchor {
  readonly items: readonly { readonly id: string }[];
  readonly firstIndex: number;
}

/**
 * The absolute index of the first item, for a virtual list's `firstItemIndex`: it goes down by
 * the number of items prepended (older messages loaded) and up by the number dropped from the
 * top (the store keeps the newest messages only), so the items in view keep their indexes and
 * the viewport stays where the user is reading.
 */
export function useFirstItemIndex(items: readonly { readonly id: string }[]): number {
  const anchor = useRef<Anchor>({ items: [], firstIndex: FIRST_INDEX });
  const next = useMemo<Anchor>(() => ({ items, firstIndex: shiftedFirstIndex(anchor.current, items) }), [items]);
  useIsomorphicLayoutEffect(() => {
    anchor.current = next;
  }, [next]);
  return next.firstIndex;
}

export function shiftedFirstIndex(previous: Anchor, items: readonly { readonly id: string }[]): number {
  const oldFirst = previous.items[0]?.id;
  const newFirst = items[0]?.id;
  if (oldFirst === undefined || newFirst === undefined || oldFirst === newFirst) return previous.firstIndex;
  const prepended = indexOfId(items, oldFirst);
  if (prepended > 0) return Math.max(0, previous.firstIndex - prepended);
  const dropped = indexOfId(previous.items, newFirst);
  if (dropped > 0) return previous.firstIndex + dropped;
  return previous.firstIndex;
}

function indexOfId(items: readonly { readonly id: string }[], id: string): number {
  for (let i = 0; i < items.length; i++) if (items[i]?.id === id) return i;
  return -1;
}
