'use client';

import { useMemo, type ReactNode } from 'react';
import { useStrings, type RtmStrings } from '../strings.js';
import type { CallView } from './call-state.js';
import * as Parts from './CallDialogParts.js';
import { useCalls, type CallNotice, type UseCallsOptions } from './useCalls.js';
import { useRingtone } from './useRingtone.js';

export interface CallDialogProps extends UseCallsOptions {
  /** A sound to loop while a call is coming in (a URL), or false for silence. Default false. */
  readonly ringtone?: string | false;
  /** Where the dialogs are put in the document (default: document.body). */
  readonly container?: HTMLElement | null;
  /** Forces the light or dark theme on the dialogs (they live in a portal, outside your themed tree). */
  readonly theme?: 'light' | 'dark';
  /** Added to each dialog's content element. */
  readonly className?: string;
  readonly strings?: Partial<RtmStrings>;
}

function noticeText(strings: RtmStrings, notice: CallNotice | null): string {
  if (notice === null) return '';
  switch (notice.kind) {
    case 'missed':
      return strings.callMissed(notice.call.peerId);
    case 'busy':
      return strings.callDeclinedBusy(notice.call.peerId);
    case 'ended':
      return strings.callEndedFrom(notice.call.peerId);
    default: {
      const unreachable: never = notice.kind;
      return unreachable;
    }
  }
}

/** Up to two letters standing for the peer, for the avatar. */
function initials(peerId: string): string {
  const words = peerId.split(/[\s._-]+/).filter((w) => w !== '');
  const letters = words.length > 1 ? [words[0], words[1]].map((w) => [...(w ?? '')][0] ?? '') : [...peerId].slice(0, 2);
  return letters.join('').toUpperCase();
}

interface CallCardProps {
  readonly call: CallView;
  readonly actions: Parts.CallActions;
  readonly props: CallDialogProps;
}

function CallCard({ call, actions, props }: CallCardProps): ReactNode {
  const themed = props.theme === undefined ? {} : { 'data-theme': props.theme };
  return (
    <Parts.Root call={call} actions={actions} {...(props.strings === undefined ? {} : { strings: props.strings })}>
      <Parts.Portal {...(props.container === undefined ? {} : { container: props.container })}>
        <Parts.Overlay className="rtm-call-overlay" {...themed} />
        <Parts.Content className={['rtm-call-dialog', props.className].filter(Boolean).join(' ')} {...themed}>
          <div className="rtm-call-avatar" data-state={call.state} aria-hidden="true">
            {initials(call.peerId)}
          </div>
          <Parts.Title className="rtm-call-title" />
          <Parts.Description className="rtm-call-description" />
          <Parts.Status className="rtm-call-status" />
          <div className="rtm-call-actions" data-state={call.state}>
            <Parts.Decline className="rtm-button rtm-call-decline" data-variant="danger" />
            <Parts.Accept className="rtm-button rtm-call-accept" data-variant="primary" />
            <Parts.Cancel className="rtm-button rtm-call-cancel" data-variant="danger" />
            <Parts.Close className="rtm-button rtm-call-close" />
          </div>
        </Parts.Content>
      </Parts.Portal>
    </Parts.Root>
  );
}

/**
 * Every call of the logged-in user, both ways, as dialogs. Mount it once anywhere under
 * `RtmProvider`.
 *
 * - A received call opens an `alertdialog` named "Incoming call from alice" (the caller's
 *   content as its description) with Accept and Decline; focus goes to Accept and comes back
 *   afterwards; Escape declines. It closes by itself when the caller cancels, the call expires,
 *   or the session ends (e.g. the same user logged in elsewhere).
 * - A call placed with `CallButton` or `useInvitation().call` opens a dialog named "Calling bob"
 *   that goes calling → ringing → accepted, declined (with the response), cancelled or failed
 *   (the reason in words), with Cancel while it rings and Close (and an auto-close) after.
 * - A call that comes in during another is declined with `busyResponse` unless `allowConcurrent`.
 *
 * @example
 * <RtmProvider appId={APP_ID} uid={me}>
 *   <CallDialog ringtone="/ring.mp3" onAccepted={(call) => startMedia(call.channelId, call.end)} />
 *   <CallButton peerId="bob" channelId="room-42" />
 * </RtmProvider>
 */
export function CallDialog(props: CallDialogProps): ReactNode {
  const strings = useStrings(props.strings);
  const { calls, notice, accept, decline, cancel, close } = useCalls(props);
  const actions = useMemo(() => ({ accept, decline, cancel, close }), [accept, decline, cancel, close]);
  useRingtone(props.ringtone ?? false, calls.some((c) => c.state === 'incoming'));
  return (
    <>
      <div role="status" className="rtm-visually-hidden rtm-call-announcer">
        {noticeText(strings, notice)}
      </div>
      {calls.map((call) => (
        <CallCard key={call.id} call={call} actions={actions} props={props} />
      ))}
    </>
  );
}
