'use client';

import type { ConnectionInfo } from '@rtm-kit/store';
import { useStore } from 'zustand';
import { useRtmContext } from './context.js';

/**
 * The connection state and why it last changed (spec §7.1–§7.2), plus the logged-in uid and
 * the last login or token error. `DISCONNECTED` on the server and during hydration.
 *
 * @example
 * const { state, reason, error } = useConnectionState();
 * if (state === 'ABORTED' && reason === 'REMOTE_LOGIN') return <p>Signed in elsewhere.</p>;
 */
export function useConnectionState(): ConnectionInfo {
  return useStore(useRtmContext('useConnectionState').store, (s) => s.connection);
}
