export { defaultCallStrings } from './strings.js';
export type { CallStrings } from './strings.js';
export { CallDialog } from './CallDialog.js';
export type { CallDialogProps } from './CallDialog.js';
export * as CallDialogPrimitive from './CallDialogParts.js';
export type {
  ActionProps as CallDialogActionProps,
  CallActions,
  ContentProps as CallDialogContentProps,
  RootProps as CallDialogRootProps,
} from './CallDialogParts.js';
export { CallButton } from './CallButton.js';
export type { CallButtonProps } from './CallButton.js';
export { useCalls } from './useCalls.js';
export type { AcceptedCall, CallEndReason, CallInfo, CallNotice, EndedCall, UseCallsOptions, UseCallsResult } from './useCalls.js';
export { useCallButton } from './useCallButton.js';
export type { CallButtonState, UseCallButtonOptions, UseCallButtonResult } from './useCallButton.js';
export { useRingtone } from './useRingtone.js';
export { failureText, incomingCall, incomingState, isFinal, outgoingCall, outgoingState, statusText, titleText } from './call-state.js';
export type { CallDirection, CallFailureReason, CallState, CallView } from './call-state.js';
