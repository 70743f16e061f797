'use client';

import type { RtmState, RtmStore } from '@rtm-kit/store';
import { useStore } from 'zustand';
import { useRtmContext } from './context.js';

/**
 * Select from the store directly. The component re-renders when the selected value changes
 * (by `Object.is`); wrap a selector that builds objects or arrays in `useShallow`.
 *
 * @example
 * const unread = useRtmStore((s) => s.conversations['bob']?.messages.length ?? 0);
 */
export function useRtmStore<T>(selector: (state: RtmState) => T): T {
  return useStore(useRtmContext('useRtmStore').store, selector);
}

/**
 * The store itself, for subscriptions outside render or for other bindings.
 *
 * @example
 * const store = useRtmStoreApi();
 * useEffect(() => store.subscribe((s) => console.log(s.connection.state)), [store]);
 */
export function useRtmStoreApi(): RtmStore {
  return useRtmContext('useRtmStoreApi').store;
}
