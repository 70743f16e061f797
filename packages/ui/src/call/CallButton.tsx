'use client';

import type { OutgoingInvitation } from '@rtm-kit/react';
import { forwardRef, useId, type ComponentPropsWithoutRef, type MouseEvent, type ReactNode } from 'react';
import { useStrings, type RtmStrings } from '../strings.js';
import { useCallButton } from './useCallButton.js';

export interface CallButtonProps extends Omit<ComponentPropsWithoutRef<'button'>, 'content' | 'children' | 'disabled' | 'type'> {
  /** Who to call. */
  readonly peerId: string;
  /** Text for the callee (up to 8 KB); `CallDialog` shows it as the incoming call's description. */
  readonly content?: string;
  /** A channel id for the callee, e.g. the media session both sides join once accepted. */
  readonly channelId?: string;
  /** The button's content; the accessible name stays "Call {peerId}" (`strings.callPeer`). */
  readonly children?: ReactNode;
  /** Disable the button whatever the connection state. */
  readonly disabled?: boolean;
  readonly strings?: Partial<RtmStrings>;
  /** The call was placed; `CallDialog` shows it. */
  readonly onCall?: (call: OutgoingInvitation) => void;
  /** The call could not be placed (bad arguments); the client's `RtmError`. */
  readonly onError?: (error: unknown) => void;
}

/**
 * Calls `peerId`; a `<CallDialog />` mounted under the same `RtmProvider` shows the call. The
 * button is named "Call {peerId}", and is disabled, with the reason as its description, while
 * the connection is not up or while a call to the same peer is calling or ringing.
 *
 * @example
 * <CallButton peerId="bob" channelId="room-42" content="Quick sync?" />
 */
export const CallButton = forwardRef<HTMLButtonElement, CallButtonProps>(function CallButton(props, ref) {
  const { peerId, content, channelId, children, disabled = false, strings: overrides, onCall, onError, onClick, className, ...rest } = props;
  const strings = useStrings(overrides);
  const { state, call } = useCallButton(peerId, {
    ...(content === undefined ? {} : { content }),
    ...(channelId === undefined ? {} : { channelId }),
  });
  const reasonId = useId();
  const reason = state === 'unavailable' ? strings.callUnavailable : state === 'calling' ? strings.callInProgress(peerId) : null;
  const label = strings.callPeer(peerId);
  const handleClick = (event: MouseEvent<HTMLButtonElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || state !== 'idle') return;
    call().then(
      (placed) => onCall?.(placed),
      (error: unknown) => onError?.(error),
    );
  };
  return (
    <>
      <button
        {...rest}
        ref={ref}
        type="button"
        className={['rtm-button', 'rtm-call-button', className].filter(Boolean).join(' ')}
        data-variant="primary"
        data-state={state}
        disabled={disabled || state !== 'idle'}
        aria-label={children === undefined ? undefined : (rest['aria-label'] ?? label)}
        aria-describedby={reason === null ? rest['aria-describedby'] : [rest['aria-describedby'], reasonId].filter(Boolean).join(' ')}
        title={reason ?? rest.title}
        onClick={handleClick}
      >
        {children ?? label}
      </button>
      {reason !== null && (
        <span id={reasonId} className="rtm-visually-hidden">
          {reason}
        </span>
      )}
    </>
  );
});
