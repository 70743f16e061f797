import { useInvitation } from '@rtm-kit/react';
import { useState } from 'react';

const LIVE = new Set(['IDLE', 'SENT_TO_REMOTE', 'RECEIVED_BY_REMOTE']);

/** Calls a peer (a 1.x call invitation); the dialog shows how it goes. One outgoing call at a time. */
export function CallButton({ peerId }: { peerId: string }) {
  const { outgoing, call } = useInvitation();
  const [error, setError] = useState<string | null>(null);
  const calling = outgoing.some((i) => LIVE.has(i.state));
  const start = () => {
    setError(null);
    call(peerId).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  };
  return (
    <>
      <button type="button" className="call-button" onClick={start} disabled={calling} aria-label={`Call ${peerId}`}>
        Call
      </button>
      {error !== null && (
        <span className="error small" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
