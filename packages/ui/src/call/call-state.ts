import type { IncomingInvitation, OutgoingInvitation } from '@rtm-kit/react';
import type { CallStrings } from './strings.js';

/**
 * Where a call stands, as the UI shows it (`data-state`). Received calls go `incoming` →
 * `connecting` (accept sent, waiting for the caller's confirmation) → an end; placed calls go
 * `calling` → `ringing` (the callee's app has it, 1.x `LocalInvitationReceivedByPeer`) → an end.
 */
export type CallState = 'incoming' | 'connecting' | 'calling' | 'ringing' | 'accepted' | 'declined' | 'cancelled' | 'failed';

export type CallDirection = 'incoming' | 'outgoing';

/** The 1.x failure reason of either side (`LocalInvitationFailureReason` or `RemoteInvitationFailureReason`). */
export type CallFailureReason = NonNullable<OutgoingInvitation['failureReason'] | IncomingInvitation['failureReason']>;

/** One call, either way, as plain data. */
export interface CallView {
  /** The invitation's id in the store (`useInvitation().incoming/outgoing[i].id`). */
  readonly id: string;
  readonly direction: CallDirection;
  /** The other party: the caller of an incoming call, the callee of an outgoing one. */
  readonly peerId: string;
  readonly channelId: string;
  readonly content: string;
  readonly state: CallState;
  /** The callee's response (sent with accept or refuse). */
  readonly response: string;
  /** Set when `state` is `failed`. */
  readonly failureReason: CallFailureReason | null;
}

const FINAL: ReadonlySet<CallState> = new Set(['accepted', 'declined', 'cancelled', 'failed']);

/** Whether the call is over (nothing more can happen to it). */
export function isFinal(state: CallState): boolean {
  return FINAL.has(state);
}

export function incomingState(state: IncomingInvitation['state']): CallState {
  switch (state) {
    case 'INVITATION_RECEIVED':
      return 'incoming';
    case 'ACCEPT_SENT_TO_LOCAL':
      return 'connecting';
    case 'ACCEPTED':
      return 'accepted';
    case 'REFUSED':
      return 'declined';
    case 'CANCELED':
      return 'cancelled';
    case 'FAILURE':
      return 'failed';
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
}

export function outgoingState(state: OutgoingInvitation['state']): CallState {
  switch (state) {
    case 'IDLE':
    case 'SENT_TO_REMOTE':
      return 'calling';
    case 'RECEIVED_BY_REMOTE':
      return 'ringing';
    case 'ACCEPTED_BY_REMOTE':
      return 'accepted';
    case 'REFUSED_BY_REMOTE':
      return 'declined';
    case 'CANCELED':
      return 'cancelled';
    case 'FAILURE':
      return 'failed';
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
}

export function incomingCall(invitation: IncomingInvitation): CallView {
  return {
    id: invitation.id,
    direction: 'incoming',
    peerId: invitation.callerId,
    channelId: invitation.channelId,
    content: invitation.content,
    state: incomingState(invitation.state),
    response: invitation.response,
    failureReason: invitation.failureReason,
  };
}

export function outgoingCall(invitation: OutgoingInvitation): CallView {
  return {
    id: invitation.id,
    direction: 'outgoing',
    peerId: invitation.calleeId,
    channelId: invitation.channelId,
    content: invitation.content,
    state: outgoingState(invitation.state),
    response: invitation.response,
    failureReason: invitation.failureReason,
  };
}

/** The failure in words: "bob is offline", "No answer from bob: the call expired", … */
export function failureText(strings: CallStrings, peerId: string, reason: CallFailureReason | null): string {
  switch (reason) {
    case 'PEER_OFFLINE':
      return strings.callPeerOffline(peerId);
    case 'PEER_NO_RESPONSE':
      return strings.callNoResponse(peerId);
    case 'INVITATION_EXPIRE':
      return strings.callExpired(peerId);
    case 'NOT_LOGGEDIN':
      return strings.callNotLoggedIn;
    case 'ACCEPT_FAILURE':
      return strings.callAcceptFailed(peerId);
    case 'UNKNOWN':
    case null:
      return strings.callFailed(peerId);
    default: {
      const unreachable: never = reason;
      return unreachable;
    }
  }
}

/** What the dialog says about the call's state ("" for a received call still ringing). */
export function statusText(strings: CallStrings, call: CallView): string {
  switch (call.state) {
    case 'incoming':
      return '';
    case 'connecting':
      return strings.callStatusConnecting(call.peerId);
    case 'calling':
      return strings.callStatusCalling(call.peerId);
    case 'ringing':
      return strings.callStatusRinging(call.peerId);
    case 'accepted':
      return call.direction === 'outgoing' ? strings.callAccepted(call.peerId) : strings.callYouAccepted;
    case 'declined':
      return call.direction === 'outgoing' ? strings.callDeclined(call.peerId, call.response) : strings.callYouDeclined;
    case 'cancelled':
      return call.direction === 'outgoing' ? strings.callCancelled(call.peerId) : strings.callCancelledBy(call.peerId);
    case 'failed':
      return failureText(strings, call.peerId, call.failureReason);
    default: {
      const unreachable: never = call.state;
      return unreachable;
    }
  }
}

/** The dialog's accessible name. */
export function titleText(strings: CallStrings, call: CallView): string {
  return call.direction === 'incoming' ? strings.incomingCallFrom(call.peerId) : strings.outgoingCallTo(call.peerId);
}
