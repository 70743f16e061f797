'use client';

import { useConnectionState, useInvitation, useRtmStore, type OutgoingInvitation } from '@rtm-kit/react';
import { useCallback } from 'react';

/** `idle`: ready to call; `calling`: a call to this peer is under way; `unavailable`: not connected. */
export type CallButtonState = 'idle' | 'calling' | 'unavailable';

export interface UseCallButtonOptions {
  /** Text for the callee (up to 8 KB). */
  readonly content?: string;
  /** A channel id for the callee, e.g. the media session to join. */
  readonly channelId?: string;
}

export interface UseCallButtonResult {
  readonly state: CallButtonState;
  /** Place the call; rejects with the client's error for bad arguments. */
  call(): Promise<OutgoingInvitation>;
}

const LIVE: ReadonlySet<OutgoingInvitation['state']> = new Set(['IDLE', 'SENT_TO_REMOTE', 'RECEIVED_BY_REMOTE']);

/**
 * The headless part of `CallButton`: whether a call to `peerId` can be placed now, and the
 * action. Calls are possible while the connection is `CONNECTED`; while one to the same peer is
 * calling or ringing, a second is not offered.
 *
 * @example
 * const { state, call } = useCallButton('bob', { channelId: 'room-1' });
 * return <button disabled={state !== 'idle'} onClick={() => void call()}>Call bob</button>;
 */
export function useCallButton(peerId: string, options: UseCallButtonOptions = {}): UseCallButtonResult {
  const { state: connection } = useConnectionState();
  const calling = useRtmStore((s) => s.outgoingInvitations.some((i) => i.calleeId === peerId && LIVE.has(i.state)));
  const { call: place } = useInvitation();
  const { content, channelId } = options;
  const call = useCallback(
    () =>
      place(peerId, {
        ...(content === undefined ? {} : { content }),
        ...(channelId === undefined ? {} : { channelId }),
      }),
    [place, peerId, content, channelId],
  );
  const state: CallButtonState = connection !== 'CONNECTED' ? 'unavailable' : calling ? 'calling' : 'idle';
  return { state, call };
}
