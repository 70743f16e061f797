import type { CalleeInvitationView, CallerInvitationView, IncomingInvitation } from '@rtm-kit/protocol';
import type { InvitationRecord } from './store.js';

/** What the caller may know of an invitation: never the callee's session or the caller's content. */
export function callerView(record: InvitationRecord): CallerInvitationView {
  return { callId: record.callId, phase: record.phase, response: record.response, reason: record.callerReason };
}

/** What the callee may know of an invitation. */
export function calleeView(record: InvitationRecord): CalleeInvitationView {
  return { callId: record.callId, phase: record.phase, content: record.content, reason: record.calleeReason };
}

export function incomingOf(record: InvitationRecord): IncomingInvitation {
  return { callId: record.callId, callerId: record.callerUid, content: record.content, channelId: record.channelId };
}

export function unknownCallerView(callId: string): CallerInvitationView {
  return { callId, phase: 'UNKNOWN', response: '', reason: null };
}

export function unknownCalleeView(callId: string): CalleeInvitationView {
  return { callId, phase: 'UNKNOWN', content: '', reason: null };
}

/**
 * The answer to a send the server refused to store (over `invitationSendRate` or
 * `openInvitationsPerSession`): failed at once, reason UNKNOWN, nothing delivered or remembered.
 */
export function refusedCallerView(callId: string): CallerInvitationView {
  return { callId, phase: 'FAILED', response: '', reason: 'UNKNOWN' };
}
