'use client';

import type { RtmError } from '@rtm-kit/store';
import type { AttributesMap, AttributesStatus } from '@rtm-kit/store';
import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { EMPTY_RECORD } from './constants.js';
import { useRtmContext } from './context.js';

export interface UseUserAttributesResult {
  readonly attributes: AttributesMap;
  readonly status: AttributesStatus;
  readonly error: RtmError | null;
  /** Read them again now (1.x sends no notification when another user changes theirs). */
  refresh(): Promise<void>;
}

/**
 * Another user's attributes (spec §2.4), read once logged in and again after reconnecting or
 * on `refresh()`. This user's own writes through `useLocalUserAttributes` show at once.
 *
 * @example
 * const { attributes } = useUserAttributes(memberId);
 * return <span>{attributes['name'] ?? memberId}</span>;
 */
export function useUserAttributes(uid: string, options: { enabled?: boolean } = {}): UseUserAttributesResult {
  const { store } = useRtmContext('useUserAttributes');
  const enabled = options.enabled ?? true;
  useEffect(() => {
    if (!enabled) return;
    return store.getState().acquireUserAttributes(uid);
  }, [store, uid, enabled]);
  const view = useStore(
    store,
    useShallow((s) => {
      const entry = s.userAttributes[uid];
      return { attributes: entry?.attributes ?? EMPTY_RECORD, status: entry?.status ?? 'idle', error: entry?.error ?? null };
    }),
  );
  const refresh = useMemo(() => () => store.getState().refreshUserAttributes(uid), [store, uid]);
  return { ...view, refresh };
}
