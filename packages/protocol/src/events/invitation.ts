import type { Request } from '../ack.js';
import type { LocalInvitationFailureReason, RemoteInvitationFailureReason } from '../enums.js';
import type { RequestErrorCodes } from './request-errors.js';

/**
 * Where an invitation stands on the server, which holds the one authoritative state of each call
 * invitation (§4). It only moves forward: PENDING (sent, the callee has not acknowledged it) →
 * RECEIVED (the callee's client acknowledged) → ACCEPTING (the callee accepted; the caller has to
 * confirm) → ACCEPTED; or to REFUSED, CANCELED or FAILED from any state before ACCEPTED.
 * `UNKNOWN` answers a sync for an invitation the server no longer remembers.
 */
export type InvitationPhase = 'PENDING' | 'RECEIVED' | 'ACCEPTING' | 'ACCEPTED' | 'REFUSED' | 'CANCELED' | 'FAILED';

/** The caller's view of an invitation. */
export interface CallerInvitationView {
  readonly callId: string;
  readonly phase: InvitationPhase | 'UNKNOWN';
  /** The callee's response once it accepted or refused, else "". */
  readonly response: string;
  /** Why it failed (phase FAILED), as the caller reports it. */
  readonly reason: LocalInvitationFailureReason | null;
}

/** The callee's view of an invitation. */
export interface CalleeInvitationView {
  readonly callId: string;
  readonly phase: InvitationPhase | 'UNKNOWN';
  /** The caller's content; on CANCELED, the content it sent with the cancel (§4.2). */
  readonly content: string;
  /** Why it failed (phase FAILED), as the callee reports it. */
  readonly reason: RemoteInvitationFailureReason | null;
}

/** An invitation as the callee first gets it. */
export interface IncomingInvitation {
  readonly callId: string;
  readonly callerId: string;
  readonly content: string;
  /** Signaling interop (§4.1, seed 1.0.0); "" when the caller set none. */
  readonly channelId: string;
}

/**
 * Requests of the invitation domain (`invitation:*`). Each answers with the sender's view after
 * the request was applied, or with the outcome that already won when it came too late (an accept
 * after a cancel, a cancel after an expiry ...), so both sides always end on the same outcome.
 */
export interface InvitationClientEvents {
  /** The caller sends; `callId` is made by the caller's client (uuid) and unique per app. */
  'invitation:send': Request<
    { readonly callId: string; readonly calleeId: string; readonly content: string; readonly channelId: string },
    CallerInvitationView
  >;
  'invitation:cancel': Request<{ readonly callId: string; readonly content: string }, CallerInvitationView>;
  /** The caller confirms the callee's accept; only then is the invitation ACCEPTED for both. */
  'invitation:confirm': Request<{ readonly callId: string }, CallerInvitationView>;
  'invitation:accept': Request<{ readonly callId: string; readonly response: string }, CalleeInvitationView>;
  'invitation:refuse': Request<{ readonly callId: string; readonly response: string }, CalleeInvitationView>;
  /** After a reconnect: where the client's unfinished invitations stand now. */
  'invitation:sync': Request<
    { readonly asCaller: readonly string[]; readonly asCallee: readonly string[] },
    { readonly asCaller: readonly CallerInvitationView[]; readonly asCallee: readonly CalleeInvitationView[] }
  >;
}

/** Events the server sends in the invitation domain. */
export interface InvitationServerEvents {
  /** To the callee; its client acknowledges receipt (the "received by peer" of §4.1). */
  'invitation:incoming': (invitation: IncomingInvitation, ack: () => void) => void;
  /** To the caller whenever its invitation moves. */
  'invitation:caller': (view: CallerInvitationView) => void;
  /** To the callee whenever an invitation it received moves. */
  'invitation:callee': (view: CalleeInvitationView) => void;
}

/**
 * InvitationApiCallError has no failure or not-logged-in code: those outcomes reach the app as
 * `LocalInvitationFailure`/`RemoteInvitationFailure` events, so the server answers them with its
 * generic code and the client maps them to a failure reason.
 */
const INVITATION_ERRORS: RequestErrorCodes = {
  invalid: 'INVITATION_API_CALL_ERR_INVALID_ARGUMENT',
  failure: 'INTERNAL',
  notLoggedIn: 'INTERNAL',
  timeout: 'INTERNAL',
};

export const INVITATION_REQUEST_ERRORS: { readonly [E in keyof InvitationClientEvents]: RequestErrorCodes } = {
  'invitation:send': INVITATION_ERRORS,
  'invitation:cancel': INVITATION_ERRORS,
  'invitation:confirm': INVITATION_ERRORS,
  'invitation:accept': INVITATION_ERRORS,
  'invitation:refuse': INVITATION_ERRORS,
  'invitation:sync': INVITATION_ERRORS,
};
