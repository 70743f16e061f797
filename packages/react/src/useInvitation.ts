'use client';

import type { CallOptions, IncomingInvitation, OutgoingInvitation } from '@rtm-kit/store';
import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import { useRtmContext } from './context.js';
import { useLatest } from './useLatest.js';

export interface UseInvitationResult {
  /** Calls received, with their 1.x `RemoteInvitationState` and failure reason. */
  readonly incoming: readonly IncomingInvitation[];
  /** Calls placed, with their 1.x `LocalInvitationState`, the callee's response and failure reason. */
  readonly outgoing: readonly OutgoingInvitation[];
  /** Call a user; rejects with the client's error for bad arguments (spec §4.1). */
  call(calleeId: string, options?: CallOptions): Promise<OutgoingInvitation>;
  /** Accept a received call, optionally with a response (up to 8 KB). */
  accept(id: string, response?: string): Promise<void>;
  /** Refuse a received call, optionally with a response. */
  refuse(id: string, response?: string): Promise<void>;
  /** Cancel a placed call. */
  cancel(id: string): Promise<void>;
  /** Remove an invitation from the lists. */
  dismiss(id: string): void;
}

/**
 * Call invitations both ways, as plain objects whose `state` follows the 1.x state machines
 * (spec §4). Actions reject with the client's `RtmError` (e.g. `INVITATION_API_CALL_ERR_ALREADY_END`).
 *
 * @example
 * const { incoming, outgoing, call, accept, refuse } = useInvitation({ onReceived: () => ring() });
 * const ringing = incoming.filter((i) => i.state === 'INVITATION_RECEIVED');
 * return ringing.map((i) => (
 *   <div key={i.id}>
 *     {i.callerId} is calling <button onClick={() => accept(i.id)}>Accept</button>
 *     <button onClick={() => refuse(i.id, 'busy')}>Refuse</button>
 *   </div>
 * ));
 */
export function useInvitation(options: { onReceived?: (invitation: IncomingInvitation) => void } = {}): UseInvitationResult {
  const { store } = useRtmContext('useInvitation');
  const onReceived = useLatest(options.onReceived);
  useEffect(() => store.getState().onInvitationReceived((invitation) => onReceived.current?.(invitation)), [store, onReceived]);
  const incoming = useStore(store, (s) => s.incomingInvitations);
  const outgoing = useStore(store, (s) => s.outgoingInvitations);
  const actions = useMemo(() => {
    const state = () => store.getState();
    return {
      call: (calleeId: string, callOptions?: CallOptions) => state().call(calleeId, callOptions),
      accept: (id: string, response?: string) => state().acceptInvitation(id, response),
      refuse: (id: string, response?: string) => state().refuseInvitation(id, response),
      cancel: (id: string) => state().cancelInvitation(id),
      dismiss: (id: string) => state().dismissInvitation(id),
    };
  }, [store]);
  return { incoming, outgoing, ...actions };
}
