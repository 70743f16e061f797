'use client';

export { RtmStringsProvider, useStrings, defaultStrings } from './strings.js';
export type { RtmStrings, RtmStringsProviderProps } from './strings.js';
export * from './call/index.js';
export * from './chat/index.js';
