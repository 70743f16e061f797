/** The call UI's strings (see `RtmStrings`). */
export interface CallStrings {
  /** Accessible name of the incoming-call dialog. */
  readonly incomingCallFrom: (peerId: string) => string;
  readonly accept: string;
  readonly decline: string;
}

export const defaultCallStrings: CallStrings = {
  incomingCallFrom: (peerId) => `Incoming call from ${peerId}`,
  accept: 'Accept',
  decline: 'Decline',
};
