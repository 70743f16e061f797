'use client';

import type { RtmClient } from '@rtm-kit/store';
import type { RtmStore } from '@rtm-kit/store';
import { createContext, useContext } from 'react';

/** What `RtmProvider` shares: two objects that never change for the provider's lifetime. */
export interface RtmContextValue {
  readonly client: RtmClient;
  readonly store: RtmStore;
}

export const RtmContext = createContext<RtmContextValue | null>(null);
RtmContext.displayName = 'RtmContext';

/** The provider's client and store; throws at once, naming the hook, when there is none. */
export function useRtmContext(hookName: string): RtmContextValue {
  const value = useContext(RtmContext);
  if (value === null) throw new Error(`${hookName} must be used inside <RtmProvider>.`);
  return value;
}
