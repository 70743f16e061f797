import type { InvitationPhase, LocalInvitationFailureReason, RemoteInvitationFailureReason } from '@rtm-kit/protocol';

/** One call invitation, the server's authoritative record of it (§4). */
export interface InvitationRecord {
  readonly appId: string;
  readonly callId: string;
  readonly callerUid: string;
  readonly callerSessionId: string;
  readonly calleeUid: string;
  /** The caller's content; replaced by the content sent with a cancel (§4.1). */
  readonly content: string;
  readonly channelId: string;
  readonly phase: InvitationPhase;
  /** The callee session that acknowledged or answered it; fixed from then on. */
  readonly calleeSessionId: string | null;
  /** The last callee session it was handed to while that session was connected. */
  readonly deliveredTo: string | null;
  readonly response: string;
  readonly callerReason: LocalInvitationFailureReason | null;
  readonly calleeReason: RemoteInvitationFailureReason | null;
  readonly sentAt: number;
  readonly endedAt: number | null;
}

/** What a transition may change. */
export type InvitationPatch = Partial<
  Pick<InvitationRecord, 'phase' | 'calleeSessionId' | 'deliveredTo' | 'response' | 'content' | 'callerReason' | 'calleeReason' | 'endedAt'>
>;

export type CreateInvitationResult =
  | { readonly ok: true }
  /** CALL_ID_IN_USE: the app has an invitation with this call ID; TOO_MANY_OPEN: the caller's cap. */
  | { readonly ok: false; readonly reason: 'CALL_ID_IN_USE' | 'TOO_MANY_OPEN' };

/**
 * Call invitations. Every state change is a compare-and-set on the phase, so when an accept and
 * a cancel (or an answer and a timer) race, exactly one applies and the other sees the winner.
 */
export interface InvitationStore {
  /**
   * Store a new invitation, unless its call ID is already taken in the app or its caller session
   * already has `maxOpenOfCaller` unfinished invitations it sent. One step, so sends racing each
   * other cannot overshoot the cap.
   */
  createInvitation(record: InvitationRecord, maxOpenOfCaller: number): Promise<CreateInvitationResult>;
  getInvitation(appId: string, callId: string): Promise<InvitationRecord | null>;
  /** Apply `patch` if the invitation's phase is one of `from`; the updated record, or null. */
  updateInvitation(appId: string, callId: string, from: readonly InvitationPhase[], patch: InvitationPatch): Promise<InvitationRecord | null>;
  /** Unfinished invitations a session takes part in: sent by it, or acknowledged/answered by it. */
  invitationsOfSession(appId: string, sessionId: string): Promise<InvitationRecord[]>;
  /** PENDING invitations to a user. */
  pendingInvitationsTo(appId: string, calleeUid: string): Promise<InvitationRecord[]>;
  deleteInvitation(appId: string, callId: string): Promise<void>;
}
