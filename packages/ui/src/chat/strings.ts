/** The chat UI's strings (see `RtmStrings`). */
export interface ChatStrings {
  /** Accessible name of the message textbox, for a channel or a peer. */
  readonly messageTo: (target: string) => string;
  readonly send: string;
}

export const defaultChatStrings: ChatStrings = {
  messageTo: (target) => `Message ${target}`,
  send: 'Send',
};
