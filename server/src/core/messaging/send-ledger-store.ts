import type { MaybePromise } from '../maybe-async.js';

/**
 * The message-id ledger's part of the store, shared by peer and channel messages.
 */
/** What the server answered for a message id (peer: whether the peer received it). */
export interface SendOutcome {
  readonly delivered: boolean;
}

export type SendClaim =
  | { readonly state: 'new' }
  | { readonly state: 'pending' }
  | { readonly state: 'done'; readonly outcome: SendOutcome };

/**
 * The ledger of client message ids, per sender, so that a message retried across a reconnect is
 * delivered once (design: delivery guarantees are ours, socket.io is at-most-once). Entries are
 * kept until `keepUntil`; the Redis store makes `claim` one script with an expiry.
 *
 * Every message passes `claim` and `settle`, so a store that holds the ledger in this process may
 * answer at once instead of with a promise (the memory store does): the ledger then costs a
 * message no promise and no turn of the event loop.
 */
export interface SendLedgerStore {
  /** Record `id` as being sent unless it is known; says what is known about it. */
  claim(appId: string, sender: string, id: string, now: number, keepUntil: number): MaybePromise<SendClaim>;
  /** Record the outcome of a claimed id. */
  settle(appId: string, sender: string, id: string, outcome: SendOutcome, keepUntil: number): MaybePromise<void>;
  /** Forget a claim whose send was refused (rate limit), so a later retry is a new send. */
  release(appId: string, sender: string, id: string): MaybePromise<void>;
}
