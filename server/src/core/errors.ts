import type { ErrorCodeName } from '@rtm-kit/protocol';

/**
 * A failure the client must see with the spec's code. Services throw it; the binding turns it
 * into the acknowledgement's error. Anything else that is thrown is an internal fault and reaches
 * the client only as the operation's generic failure code.
 */
export class CoreError extends Error {
  readonly codeName: ErrorCodeName;

  constructor(codeName: ErrorCodeName, message: string) {
    super(message);
    this.name = 'CoreError';
    this.codeName = codeName;
  }
}

/**
 * A `CoreError` about something named in the request that does not exist (an upload that was
 * cancelled, completed or abandoned). The 1.x code is the operation's own; transports that have
 * a status for it (HTTP 404) use it instead of a server fault's.
 */
export class NotFoundError extends CoreError {
  constructor(codeName: ErrorCodeName, message: string) {
    super(codeName, message);
    this.name = 'NotFoundError';
  }
}
