export { defaultCallStrings } from './strings.js';
export type { CallStrings } from './strings.js';
