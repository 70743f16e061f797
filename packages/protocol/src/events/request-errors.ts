import type { ErrorCodeName } from '../error-codes.js';

/**
 * For a request, the codes of its own error group that the server answers with when the payload
 * is malformed (`invalid`), when something unexpected fails (`failure`) and when the session is
 * gone (`notLoggedIn`). Each domain declares these next to its events, so a bad payload on any
 * event gets the spec's code for that operation.
 */
export interface RequestErrorCodes {
  readonly invalid: ErrorCodeName | 'INTERNAL';
  readonly failure: ErrorCodeName | 'INTERNAL';
  readonly notLoggedIn: ErrorCodeName | 'INTERNAL';
}
