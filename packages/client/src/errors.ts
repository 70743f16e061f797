import { errorCodeOf, type ErrorCodeName, type WireError } from '@rtm-kit/protocol';

/**
 * The error shape of agora-rtm-sdk 1.x: an `Error` whose `name` is one of the Rtm*Error classes
 * and whose numeric `code` belongs to the failed operation's group (spec §8). Apps mostly read
 * `err.code`.
 */
export class RtmError extends Error {
  /** Numeric code from the operation's `RtmErrorCode` group. */
  readonly code: number | undefined;
  /** The code's constant name, e.g. `"PEER_MESSAGE_ERR_TOO_OFTEN"` (an rtm-kit addition). */
  readonly codeName: ErrorCodeName | undefined;
  serverCode?: number;
  originalError?: Error;

  constructor(message: string, codeName?: ErrorCodeName) {
    super(message);
    this.name = new.target.name;
    this.codeName = codeName;
    this.code = codeName === undefined ? undefined : errorCodeOf(codeName);
  }
}

export class RtmInvalidArgumentError extends RtmError {}
/** Wrong state: not logged in, not joined, already joined ... */
export class RtmInvalidStatusError extends RtmError {}
/** A size, count or concurrency limit was exceeded. */
export class RtmLimitExceededError extends RtmError {}
export class RtmInvokeTooOftenError extends RtmError {}
export class RtmTimeoutError extends RtmError {}
/** The server could not serve the request. */
export class RtmUnavailableError extends RtmError {}
/** Bad, expired or missing credentials. */
export class RtmUnauthenticatedError extends RtmError {}
export class RtmUnknownError extends RtmError {}
export class RtmInternalError extends RtmError {}

type ErrorClass = new (message: string, codeName?: ErrorCodeName) => RtmError;

/** The 1.x error class that carries a code, chosen from the code's meaning. */
export function errorClassFor(codeName: ErrorCodeName): ErrorClass {
  if (/TOO_OFTEN/.test(codeName)) return RtmInvokeTooOftenError;
  if (/TIMEOUT/.test(codeName)) return RtmTimeoutError;
  if (/(INVALID_TOKEN|TOKEN_EXPIRED|INVALID_APP_ID|NOT_AUTHORIZED)$/.test(codeName)) return RtmUnauthenticatedError;
  if (/(EXCEED_LIMIT|OVERFLOW|CONCURRENCY_LIMIT_EXCEEDED)$/.test(codeName)) return RtmLimitExceededError;
  if (/(INVALID_ARGUMENT|INVALID_USERID|INVALID_MESSAGE|INCOMPATIBLE_MESSAGE)$/.test(codeName)) return RtmInvalidArgumentError;
  if (/(NOT_LOGGED_IN|NOT_IN_CHANNEL|ALREADY_\w+|NOT_STARTED|NOT_INITIALIZED|NOT_EXIST|KICKED|ABORTED_BY_\w+)$/.test(codeName)) {
    return RtmInvalidStatusError;
  }
  if (/(FAILURE|REJECTED|INTERRUPTED)$/.test(codeName)) return RtmUnavailableError;
  return RtmUnknownError;
}

/** Builds the error for a code, with the class that code implies. */
export function rtmError(codeName: ErrorCodeName, message: string): RtmError {
  const Class = errorClassFor(codeName);
  return new Class(message, codeName);
}

/**
 * The error for a code of the protocol's request table. `INTERNAL` there means the operation's
 * group has no code for the outcome (invitations report it as a failure reason instead): the
 * error then carries none.
 */
export function requestError(codeName: ErrorCodeName | 'INTERNAL', message: string): RtmError {
  return codeName === 'INTERNAL' ? new RtmUnknownError(message) : rtmError(codeName, message);
}

/**
 * Turns a server error into the client error of the operation. An internal server fault becomes
 * the operation's generic `fallback` code.
 */
export function fromWire(error: WireError, fallback: ErrorCodeName | 'INTERNAL'): RtmError {
  const err = requestError(error.name === 'INTERNAL' ? fallback : error.name, error.message);
  err.serverCode = error.code;
  return err;
}
