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
