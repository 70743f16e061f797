import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';

/** useLayoutEffect in the browser, useEffect on the server (where neither runs). */
export const useIsomorphicLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect;

/**
 * A function with a stable identity that always calls the latest `fn`: memoized rows get it as
 * a prop without re-rendering when the parent's callback changes.
 */
export function useStableCallback<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const latest = useRef(fn);
  useIsomorphicLayoutEffect(() => {
    latest.current = fn;
  });
  return useCallback((...args: A) => latest.current(...args), []);
}

/** Joins class names, skipping empty ones. */
export function cx(...names: ReadonlyArray<string | false | null | undefined>): string {
  return names.filter((n) => typeof n === 'string' && n !== '').join(' ');
}
