import type { ErrorCodeName } from '../error-codes.js';

/**
 * For a request, the codes of its own error group for a malformed payload (`invalid`), an
 * unexpected failure (`failure`), a session that is gone (`notLoggedIn`) and no answer in time
 * (`timeout`, the client's alone). Each domain declares these next to its events, so the server
 * answers and the client rejects with the spec's code for that operation. `INTERNAL`: the group
 * has no code for that outcome.
 */
export interface RequestErrorCodes {
  readonly invalid: ErrorCodeName | 'INTERNAL';
  readonly failure: ErrorCodeName | 'INTERNAL';
  readonly notLoggedIn: ErrorCodeName | 'INTERNAL';
  readonly timeout: ErrorCodeName | 'INTERNAL';
}
