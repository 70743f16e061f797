'use client';

import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { defaultCallStrings, type CallStrings } from './call/strings.js';
import { defaultChatStrings, type ChatStrings } from './chat/strings.js';

/**
 * Every user-facing string of the kit: plain strings, or functions where a value goes inside.
 * English by default; override any subset with `<RtmStringsProvider strings={…}>` around the
 * components, or with a component's own `strings` prop (which wins over the provider).
 */
export type RtmStrings = CallStrings & ChatStrings;

export const defaultStrings: RtmStrings = { ...defaultCallStrings, ...defaultChatStrings };

const StringsContext = createContext<RtmStrings>(defaultStrings);

export interface RtmStringsProviderProps {
  /** The strings to replace; the rest keep their values from an outer provider or the defaults. */
  readonly strings: Partial<RtmStrings>;
  readonly children?: ReactNode;
}

/**
 * Overrides strings for every rtm-kit component below it (nest providers to override further).
 *
 * @example
 * <RtmStringsProvider strings={{ accept: 'Annehmen', decline: 'Ablehnen' }}>
 *   <CallDialog />
 * </RtmStringsProvider>
 */
export function RtmStringsProvider({ strings, children }: RtmStringsProviderProps): ReactNode {
  const outer = useContext(StringsContext);
  const value = useMemo(() => ({ ...outer, ...strings }), [outer, strings]);
  return <StringsContext.Provider value={value}>{children}</StringsContext.Provider>;
}

/** The strings in force here, with a component's own `strings` prop applied last. */
export function useStrings(overrides?: Partial<RtmStrings>): RtmStrings {
  const inherited = useContext(StringsContext);
  return useMemo(() => (overrides === undefined ? inherited : { ...inherited, ...overrides }), [inherited, overrides]);
}
