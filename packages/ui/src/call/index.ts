export { defaultCallStrings } from './strings.js';
export type { CallStrings } from './strings.js';
export { CallButton } from './CallButton.js';
export type { CallButtonProps } from './CallButton.js';
export { useCallButton } from './useCallButton.js';
export type { CallButtonState, UseCallButtonOptions, UseCallButtonResult } from './useCallButton.js';
export { failureText, incomingCall, isFinal, outgoingCall, statusText, titleText } from './call-state.js';
export type { CallDirection, CallFailureReason, CallState, CallView } from './call-state.js';
