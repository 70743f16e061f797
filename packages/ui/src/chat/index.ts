export { defaultChatStrings } from './strings.js';
export type { ChatStrings } from './strings.js';
