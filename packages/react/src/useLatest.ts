'use client';

import { useLayoutEffect, useRef } from 'react';

/**
 * A ref that always holds the latest value, so a subscription made once can call the newest
 * callback: an inline function never causes a resubscribe. The ref is updated in a layout
 * effect, before any event of the committed render can reach it.
 */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}
