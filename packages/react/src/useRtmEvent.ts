'use client';

import type { RtmClientEvents } from '@rtm-kit/store';
import { useEffect } from 'react';
import { useRtmContext } from './context.js';
import { useLatest } from './useLatest.js';

/**
 * Listen to any client event (spec §2.7) while mounted. The listener may be an inline
 * function: it is read through a latest-ref and never causes a resubscribe.
 *
 * @example
 * useRtmEvent('ConnectionStateChanged', (state, reason) => log(state, reason));
 */
export function useRtmEvent<E extends keyof RtmClientEvents & string>(event: E, listener: RtmClientEvents[E]): void {
  const { client } = useRtmContext('useRtmEvent');
  const latest = useLatest(listener);
  useEffect(() => {
    const forward = ((...args: Parameters<RtmClientEvents[E]>) =>
      (latest.current as (...a: Parameters<RtmClientEvents[E]>) => void)(...args)) as unknown as RtmClientEvents[E];
    client.on(event, forward);
    return () => {
      client.off(event, forward);
    };
  }, [client, event, latest]);
}
