import type { ErrorCodeName } from '../error-codes.js';
import type { ClientEventName } from './index.js';

/**
 * For every request, the codes of its own error group that the server answers with when the
 * payload is malformed (`invalid`) and when something unexpected fails (`failure`). Keeping the
 * table here means a bad payload on any event gets the spec's code for that operation.
 */
export interface RequestErrorCodes {
  readonly invalid: ErrorCodeName | 'INTERNAL';
  readonly failure: ErrorCodeName | 'INTERNAL';
  readonly notLoggedIn: ErrorCodeName | 'INTERNAL';
}

export const REQUEST_ERRORS: { readonly [E in ClientEventName]: RequestErrorCodes } = {
  // Logout takes no payload and cannot fail once the session exists.
  'session:logout': {
    invalid: 'INTERNAL',
    failure: 'INTERNAL',
    notLoggedIn: 'LOGOUT_ERR_USER_NOT_LOGGED_IN',
  },
  'session:renewToken': {
    invalid: 'RENEW_TOKEN_ERR_INVALID_ARGUMENT',
    failure: 'RENEW_TOKEN_ERR_FAILURE',
    notLoggedIn: 'RENEW_TOKEN_ERR_USER_NOT_LOGGED_IN',
  },
};
