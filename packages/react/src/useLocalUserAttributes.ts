'use client';

import type { RtmError } from '@rtm-kit/store';
import type { AttributesMap } from '@rtm-kit/store';
import { useMemo } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { useRtmContext } from './context.js';

export interface UseLocalUserAttributesResult {
  /** This user's attributes as written in this session (cleared at logout, spec §9.6). */
  readonly attributes: AttributesMap;
  /** The last failed write. */
  readonly error: RtmError | null;
  /** Replace all own attributes. Rejects with the client's error (also in `error`). */
  set(attributes: AttributesMap): Promise<void>;
  addOrUpdate(attributes: AttributesMap): Promise<void>;
  remove(keys: readonly string[]): Promise<void>;
  clear(): Promise<void>;
}

/**
 * This user's own attributes, which others read with `useUserAttributes`.
 *
 * @example
 * const { attributes, addOrUpdate } = useLocalUserAttributes();
 * return <input value={attributes['name'] ?? ''} onChange={(e) => addOrUpdate({ name: e.target.value })} />;
 */
export function useLocalUserAttributes(): UseLocalUserAttributesResult {
  const { store } = useRtmContext('useLocalUserAttributes');
  const view = useStore(store, useShallow((s) => ({ attributes: s.localAttributes, error: s.localAttributesError })));
  const actions = useMemo(() => {
    const state = () => store.getState();
    return {
      set: (attributes: AttributesMap) => state().setLocalUserAttributes(attributes),
      addOrUpdate: (attributes: AttributesMap) => state().addOrUpdateLocalUserAttributes(attributes),
      remove: (keys: readonly string[]) => state().deleteLocalUserAttributesByKeys(keys),
      clear: () => state().clearLocalUserAttributes(),
    };
  }, [store]);
  return { ...view, ...actions };
}
