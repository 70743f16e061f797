/**
 * Shared empty values. Selectors fall back to these, never to fresh `[]` or `{}`, so an absent
 * entry selects the same reference every time (server snapshots included).
 */
export const EMPTY_LIST: readonly never[] = Object.freeze([]);
export const EMPTY_RECORD: { readonly [key: string]: never } = Object.freeze({});

/** A stable key for a set of ids, so `usePeerStatus(['a', 'b'])` inline does not resubscribe. */
export function idsKey(ids: string | readonly string[]): string {
  const list = typeof ids === 'string' ? [ids] : ids;
  return JSON.stringify([...new Set(list)].sort());
}

export function idsFromKey(key: string): string[] {
  return JSON.parse(key) as string[];
}
