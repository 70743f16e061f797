import type { Clock } from '../clock.js';
import { andThen, type MaybePromise } from '../maybe-async.js';
import type { SendClaim, SendLedgerStore, SendOutcome } from './send-ledger-store.js';
import type { CoreLog } from '../context.js';

/**
 * How long a message id is remembered. A client retries an unanswered send only within its own
 * timeout (10 s, §10.6, of which at most 9 s waiting for the connection), so a minute is ample.
 */
export const SEND_LEDGER_KEEP_MS = 60_000;

export type SendAttempt =
  | {
      readonly fresh: true;
      /** Hand over the outcome of the send; a duplicate arriving meanwhile waits for it. */
      finish(outcome: Promise<SendOutcome>): void;
      /** The send was refused before anything was delivered: a retry is a new send. */
      abandon(): MaybePromise<void>;
    }
  | { readonly fresh: false; readonly outcome: Promise<SendOutcome> };

/**
 * Exactly-once sending over an at-most-once transport: the client retries an unanswered message
 * with the same id after a reconnect (`resendOnReconnect`), and the ledger makes the retry a
 * no-op that answers with the first attempt's outcome. Shared by peer and channel messages
 * (their ids never collide: each is prefixed with its kind by the caller).
 *
 * Callers serialize attempts per sender, so two attempts of one id never race on this node. A
 * duplicate whose first attempt is still running on another node (or on a node that died) is
 * answered "not delivered" rather than delivered twice.
 *
 * Every message passes here, so a store that answers at once (in this process) is not waited
 * for: `begin` then answers at once too, and settling allocates no promise of its own.
 */
export class SendLedger {
  readonly #store: SendLedgerStore;
  readonly #clock: Clock;
  readonly #log: CoreLog;
  readonly #pending = new Map<string, Promise<SendOutcome>>();

  constructor(store: SendLedgerStore, clock: Clock, log: CoreLog) {
    this.#store = store;
    this.#clock = clock;
    this.#log = log;
  }

  begin(appId: string, sender: string, id: string): MaybePromise<SendAttempt> {
    // App IDs are 32 characters and ids never contain a newline, so the key is unambiguous.
    const key = `${appId}${sender}\n${id}`;
    const running = this.#pending.get(key);
    if (running) return { fresh: false, outcome: running };
    const now = this.#clock.now();
    const claim = this.#store.claim(appId, sender, id, now, now + SEND_LEDGER_KEEP_MS);
    return andThen(claim, (known) => this.#attempt(known, key, appId, sender, id));
  }

  #attempt(claim: SendClaim, key: string, appId: string, sender: string, id: string): SendAttempt {
    switch (claim.state) {
      case 'done':
        return { fresh: false, outcome: Promise.resolve(claim.outcome) };
      case 'pending':
        return { fresh: false, outcome: Promise.resolve({ delivered: false }) };
      case 'new':
        return {
          fresh: true,
          finish: (outcome) => {
            this.#pending.set(key, outcome);
            outcome.then(
              (settled) => this.#settle(key, appId, sender, id, settled),
              (error: unknown) => this.#settleFailed(key, error),
            );
          },
          abandon: () => this.#store.release(appId, sender, id),
        };
      default: {
        const unreachable: never = claim;
        return unreachable;
      }
    }
  }

  /** Records the outcome; the id stays pending here until the store has it. */
  #settle(key: string, appId: string, sender: string, id: string, outcome: SendOutcome): void {
    let recorded: MaybePromise<void>;
    try {
      recorded = this.#store.settle(appId, sender, id, outcome, this.#clock.now() + SEND_LEDGER_KEEP_MS);
    } catch (error) {
      this.#settleFailed(key, error);
      return;
    }
    if (recorded instanceof Promise) {
      recorded.then(
        () => this.#pending.delete(key),
        (error: unknown) => this.#settleFailed(key, error),
      );
    } else {
      this.#pending.delete(key);
    }
  }

  #settleFailed(key: string, error: unknown): void {
    this.#log('error', 'recording a message outcome failed', error);
    this.#pending.delete(key);
  }
}
