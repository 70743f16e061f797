'use client';

import type { RtmStore } from '@rtm-kit/store';
import { useEffect } from 'react';

/**
 * Hold the channel joined while the component is mounted (and `enabled`). The store shares one
 * join among holders and defers the last release, so Strict Mode's remount does not leave.
 */
export function useChannelLease(store: RtmStore, channelId: string, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    return store.getState().acquireChannel(channelId);
  }, [store, channelId, enabled]);
}
