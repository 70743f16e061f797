import { useInvitation, type IncomingInvitation, type OutgoingInvitation } from '@rtm-kit/react';
import { useId, useState } from 'react';

/** Where a call stands, as the dialog shows it (`data-state`). */
type CallPhase = 'calling' | 'ringing' | 'connecting' | 'accepted' | 'refused' | 'canceled' | 'failed';

interface CallView {
  readonly phase: CallPhase;
  readonly title: string;
  readonly text: string;
  /** The other side's answer, if they sent one. */
  readonly response: string;
}

function outgoingView(call: OutgoingInvitation): CallView {
  const { calleeId: peer } = call;
  const base = { title: `Call to ${peer}`, response: call.response };
  switch (call.state) {
    case 'IDLE':
    case 'SENT_TO_REMOTE':
      return { ...base, phase: 'calling', text: `Calling ${peer}…` };
    case 'RECEIVED_BY_REMOTE':
      return { ...base, phase: 'ringing', text: `Ringing ${peer}…` };
    case 'ACCEPTED_BY_REMOTE':
      return { ...base, phase: 'accepted', text: `${peer} accepted the call.` };
    case 'REFUSED_BY_REMOTE':
      return { ...base, phase: 'refused', text: `${peer} refused the call.` };
    case 'CANCELED':
      return { ...base, phase: 'canceled', text: 'You canceled the call.' };
    case 'FAILURE': {
      const reasons = {
        PEER_OFFLINE: `${peer} is offline`,
        PEER_NO_RESPONSE: `${peer} did not answer`,
        INVITATION_EXPIRE: `${peer} did not pick up in time`,
        NOT_LOGGEDIN: 'you are not logged in',
        UNKNOWN: 'an unknown error',
      } as const;
      return { ...base, phase: 'failed', text: `The call failed: ${reasons[call.failureReason ?? 'UNKNOWN']}.` };
    }
    default: {
      const unexpected: never = call.state;
      throw new Error(`unknown call state ${String(unexpected)}`);
    }
  }
}

function incomingView(call: IncomingInvitation): CallView {
  const { callerId: peer } = call;
  // `response` is this user's own answer here; the caller's words are in `content`.
  const base = { title: `Call from ${peer}`, response: '' };
  switch (call.state) {
    case 'INVITATION_RECEIVED':
      return { ...base, phase: 'ringing', text: `${peer} is calling you.` };
    case 'ACCEPT_SENT_TO_LOCAL':
      return { ...base, phase: 'connecting', text: 'Connecting…' };
    case 'ACCEPTED':
      return { ...base, phase: 'accepted', text: `You accepted the call from ${peer}.` };
    case 'REFUSED':
      return { ...base, phase: 'refused', text: `You refused the call from ${peer}.` };
    case 'CANCELED':
      return { ...base, phase: 'canceled', text: `${peer} canceled the call.` };
    case 'FAILURE': {
      const reasons = {
        PEER_OFFLINE: `${peer} went offline`,
        ACCEPT_FAILURE: `your answer did not reach ${peer}`,
        INVITATION_EXPIRE: 'it was not answered in time',
        UNKNOWN: 'an unknown error',
      } as const;
      return { ...base, phase: 'failed', text: `The call failed: ${reasons[call.failureReason ?? 'UNKNOWN']}.` };
    }
    default: {
      const unexpected: never = call.state;
      throw new Error(`unknown call state ${String(unexpected)}`);
    }
  }
}

/**
 * A dialog per call in progress or just ended, both ways: ringing with Accept / Refuse for the
 * callee, Cancel for the caller, then the outcome until closed. There is no audio: a call here
 * is the 1.x invitation handshake an app would start its media session from.
 */
export function CallDialogs({ onOpenPeer }: { onOpenPeer: (peerId: string) => void }) {
  const { incoming, outgoing, accept, refuse, cancel, dismiss } = useInvitation();
  if (incoming.length === 0 && outgoing.length === 0) return null;
  return (
    <div className="calls">
      {incoming.map((call) => (
        <CallDialog
          key={call.id}
          view={incomingView(call)}
          peerId={call.callerId}
          onAccept={() => accept(call.id)}
          onRefuse={() => refuse(call.id, 'Busy right now')}
          onClose={() => dismiss(call.id)}
          onOpenPeer={onOpenPeer}
        />
      ))}
      {outgoing.map((call) => (
        <CallDialog
          key={call.id}
          view={outgoingView(call)}
          peerId={call.calleeId}
          onCancel={() => cancel(call.id)}
          onClose={() => dismiss(call.id)}
          onOpenPeer={onOpenPeer}
        />
      ))}
    </div>
  );
}

interface CallDialogProps {
  view: CallView;
  peerId: string;
  onAccept?: () => Promise<void>;
  onRefuse?: () => Promise<void>;
  onCancel?: () => Promise<void>;
  onClose: () => void;
  onOpenPeer: (peerId: string) => void;
}

function CallDialog({ view, peerId, onAccept, onRefuse, onCancel, onClose, onOpenPeer }: CallDialogProps) {
  const titleId = useId();
  const textId = useId();
  const [error, setError] = useState<string | null>(null);
  const run = (action: () => Promise<void>) => () => {
    setError(null);
    action().catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  const incomingRinging = onAccept !== undefined && view.phase === 'ringing';
  const outgoingLive = onCancel !== undefined && (view.phase === 'calling' || view.phase === 'ringing');
  const ended = view.phase !== 'calling' && view.phase !== 'ringing' && view.phase !== 'connecting';

  return (
    <section className="call" role="dialog" aria-labelledby={titleId} aria-describedby={textId} data-state={view.phase}>
      <h2 id={titleId}>{view.title}</h2>
      <p id={textId} role="status" className="call-text">
        {view.text}
        {view.response !== '' && <span className="call-response"> “{view.response}”</span>}
      </p>
      {error !== null && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
      <div className="call-actions">
        {incomingRinging && onRefuse !== undefined && (
          <>
            {/* No autofocus: keys typed into the composer as the call comes in must not answer it. */}
            <button type="button" className="primary accept" onClick={run(onAccept)}>
              Accept
            </button>
            <button type="button" className="danger" onClick={run(onRefuse)}>
              Refuse
            </button>
          </>
        )}
        {outgoingLive && (
          <button type="button" className="danger" onClick={run(onCancel)}>
            Cancel call
          </button>
        )}
        {view.phase === 'accepted' && (
          <button
            type="button"
            onClick={() => {
              onOpenPeer(peerId);
              onClose();
            }}
          >
            Open chat
          </button>
        )}
        {ended && (
          <button type="button" onClick={onClose}>
            Close
          </button>
        )}
      </div>
    </section>
  );
}
