import type { ErrorCodeName } from './error-codes.js';

/** An error as it travels on the wire: the numeric code of the operation's group and its name. */
export interface WireError {
  readonly code: number;
  readonly name: ErrorCodeName | 'INTERNAL';
  readonly message: string;
}

/** The acknowledgement envelope of every request. */
export type Ack<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly error: WireError };

/** A request event: a payload and an acknowledgement callback as the last argument. */
export type Request<P, R> = (payload: P, ack: (res: Ack<R>) => void) => void;
