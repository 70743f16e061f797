'use client';

import type { ReactNode } from 'react';
import { RtmStringsProvider, type RtmStrings } from '../strings.js';

/** A part's own `strings` prop, applied to everything it renders (rows, nested parts). */
export function StringsScope({ strings, children }: { readonly strings: Partial<RtmStrings> | undefined; readonly children: ReactNode }): ReactNode {
  return strings === undefined ? children : <RtmStringsProvider strings={strings}>{children}</RtmStringsProvider>;
}
