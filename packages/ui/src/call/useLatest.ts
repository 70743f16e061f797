'use client';

import { useLayoutEffect, useRef } from 'react';

/** A ref holding the latest value, so listeners made once call the newest callbacks. */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}
