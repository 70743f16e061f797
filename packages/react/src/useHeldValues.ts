'use client';

import type { RtmState } from '@rtm-kit/store';
import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { idsFromKey, idsKey } from './constants.js';
import { useRtmContext } from './context.js';

/**
 * Holds `ids` with the store's `acquire` while mounted and returns the values known for them in
 * `values`: an id appears once its value is known. Only the set of ids matters, so they may be an
 * inline array. `acquire` and `values` must be stable (module-level) functions.
 */
export function useHeldValues<V>(
  hook: string,
  idsArgument: string | readonly string[],
  acquire: (s: RtmState, ids: readonly string[]) => () => void,
  values: (s: RtmState) => { readonly [id: string]: V },
): Record<string, V> {
  const { store } = useRtmContext(hook);
  const key = idsKey(idsArgument);
  const ids = useMemo(() => idsFromKey(key), [key]);
  useEffect(() => acquire(store.getState(), ids), [store, ids, acquire]);
  return useStore(
    store,
    useShallow((s) => {
      // No prototype: an id such as `__proto__` is a key like any other.
      const out = Object.create(null) as Record<string, V>;
      const known = values(s);
      for (const id of ids) {
        const value = known[id];
        if (value !== undefined) out[id] = value;
      }
      return out;
    }),
  );
}
