/** The call UI's strings (see `RtmStrings`). Functions take the values that go inside. */
export interface CallStrings {
  /** Accessible name of the incoming-call dialog. */
  readonly incomingCallFrom: (peerId: string) => string;
  /** Accessible name of the dialog of a call this user placed. */
  readonly outgoingCallTo: (peerId: string) => string;
  readonly accept: string;
  readonly decline: string;
  /** Cancels a call this user placed, while it is calling or ringing. */
  readonly cancelCall: string;
  /** Closes the dialog of a call that has ended. */
  readonly closeCall: string;

  /** Status of a placed call before the callee's app has it. */
  readonly callStatusCalling: (peerId: string) => string;
  /** Status of a placed call the callee's app is ringing with. */
  readonly callStatusRinging: (peerId: string) => string;
  /** Status of a received call between Accept and the caller's confirmation. */
  readonly callStatusConnecting: (peerId: string) => string;
  readonly callAccepted: (peerId: string) => string;
  /** A received call this user accepted, or declined. */
  readonly callYouAccepted: string;
  readonly callYouDeclined: string;
  /** The callee declined; `response` is what it sent with the refusal ("" for none). */
  readonly callDeclined: (peerId: string, response: string) => string;
  /** This user cancelled the call it placed. */
  readonly callCancelled: (peerId: string) => string;
  /** The caller cancelled a call this user received. */
  readonly callCancelledBy: (peerId: string) => string;
  /** Failures, by their 1.x reason. */
  readonly callPeerOffline: (peerId: string) => string;
  readonly callNoResponse: (peerId: string) => string;
  readonly callExpired: (peerId: string) => string;
  readonly callNotLoggedIn: string;
  readonly callAcceptFailed: (peerId: string) => string;
  readonly callFailed: (peerId: string) => string;

  /** Announced when a received call closes by itself (cancelled by the caller or expired). */
  readonly callMissed: (peerId: string) => string;
  /** Announced when a received call closes for any other reason (e.g. signed in elsewhere). */
  readonly callEndedFrom: (peerId: string) => string;
  /** Announced when a call was answered busy automatically. */
  readonly callDeclinedBusy: (peerId: string) => string;

  /** `CallButton`'s accessible name. */
  readonly callPeer: (peerId: string) => string;
  /** Why `CallButton` is disabled while the connection is not up. */
  readonly callUnavailable: string;
  /** Why `CallButton` is disabled while a call to this peer is under way. */
  readonly callInProgress: (peerId: string) => string;
}

export const defaultCallStrings: CallStrings = {
  incomingCallFrom: (peerId) => `Incoming call from ${peerId}`,
  outgoingCallTo: (peerId) => `Calling ${peerId}`,
  accept: 'Accept',
  decline: 'Decline',
  cancelCall: 'Cancel',
  closeCall: 'Close',

  callStatusCalling: () => 'Calling…',
  callStatusRinging: () => 'Ringing…',
  callStatusConnecting: () => 'Connecting…',
  callAccepted: (peerId) => `${peerId} accepted the call`,
  callYouAccepted: 'You accepted the call',
  callYouDeclined: 'You declined the call',
  callDeclined: (peerId, response) => (response === '' ? `${peerId} declined the call` : `${peerId} declined the call: “${response}”`),
  callCancelled: () => 'Call cancelled',
  callCancelledBy: (peerId) => `${peerId} cancelled the call`,
  callPeerOffline: (peerId) => `${peerId} is offline`,
  callNoResponse: (peerId) => `${peerId} did not respond`,
  callExpired: (peerId) => `No answer from ${peerId}: the call expired`,
  callNotLoggedIn: 'You are not logged in',
  callAcceptFailed: () => 'The call could not be connected',
  callFailed: () => 'The call failed',

  callMissed: (peerId) => `Missed call from ${peerId}`,
  callEndedFrom: (peerId) => `Call from ${peerId} ended`,
  callDeclinedBusy: (peerId) => `Declined a call from ${peerId}: busy`,

  callPeer: (peerId) => `Call ${peerId}`,
  callUnavailable: 'Calls are possible once connected',
  callInProgress: (peerId) => `Already calling ${peerId}`,
};
