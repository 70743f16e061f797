/**
 * Peer messages (spec §2.2, §9.2; seeds 0.9.3, 1.0.1).
 *
 * Delivery guarantees are ours, not socket.io's:
 * - A live message goes to the receiver's connection with an acknowledgement; `hasPeerReceived`
 *   is true only once the receiving client acknowledged it.
 * - Sends are serialized per sender on this node, so a sender's messages reach each receiver in
 *   the order they were sent, whichever path (live or held) they take.
 * - A send retried across a reconnect carries the same client id; the ledger delivers it once.
 *
 * Held messages (a per-receiver mailbox in the store, drained by the client with `peer:fetch`):
 * - Offline messages (1.4.x `enableOfflineMessaging`) to a receiver without a session, or whose
 *   connection is gone, or who did not acknowledge: kept up to `offlineMessagesPerReceiver` (the
 *   newest evicts the oldest) for `offlineMessageTtlMs`, delivered at its next login (or resume)
 *   with `isOfflineMessage: true`, removed only once the client acknowledged each one. Expired
 *   mailboxes go without their receiver (the store drops them as it holds new messages).
 * - Quotas, all per user (app ID + uid) so that logging in again resets none of them: one user
 *   may fill the mailboxes of at most `offlineReceiversRate` distinct receivers that are not
 *   online per window (PEER_MESSAGE_ERR_TOO_OFTEN), so a client cannot fill mailboxes of
 *   arbitrary uids that never log in; and may have at most `offlineBytesPerSender` bytes of
 *   offline messages stored (TOO_OFTEN), within at most `offlineBytesPerApp` for its whole app
 *   (PEER_MESSAGE_ERR_FAILURE). A refused message is not stored and evicts nothing.
 * - Choice (the brief leaves it to us; the spec says nothing): a message without the option to a
 *   receiver whose session is alive but whose connection is gone (the 30 s grace period, §9.1) is
 *   not dropped. It waits for that session: delivered (`isOfflineMessage: false`) if the session
 *   resumes, discarded when it ends. The sender still learns `hasPeerReceived: false`, because
 *   the peer did not have it when the server answered. Without the option, a receiver with no
 *   session at all gets nothing (§2.2: 1.5 drops it), and the sender learns `false`.
 */
import {
  isValidUserId,
  wireMessageSize,
  type PeerFetchResult,
  type PeerMessageDelivery,
  type PeerSendPayload,
  type PeerSendResult,
} from '@rtm-kit/protocol';
import { CoreError } from '../errors.js';
import { andThen, type MaybePromise } from '../maybe-async.js';
import type { SessionService } from '../sessions/session-service.js';
import type { SessionActor, SessionRecord } from '../sessions/store.js';
import { DistinctRateLimiter } from '../rate-limits.js';
import { MESSAGE_RATE_WHAT, type MessageRateLimiter } from '../messaging/message-rate.js';
import { checkMessageSize } from '../messaging/message-size.js';
import type { HeldPeerMessage, OfflineHoldCaps, PeerStore } from './peer-store.js';
import type { SendOutcome } from '../messaging/send-ledger-store.js';
import type { SendAttempt, SendLedger } from '../messaging/send-ledger.js';
import type { SerialQueues } from '../messaging/serial-queue.js';
import type { ServiceContext } from '../context.js';

export interface PeerServiceDeps extends ServiceContext {
  readonly store: PeerStore;
  readonly ledger: SendLedger;
  readonly sessions: SessionService;
  /** Shared with channel messages (§10.5: one budget for both). */
  readonly rate: MessageRateLimiter;
  /** Shared with channel messages: one order per sender across both kinds. */
  readonly senders: SerialQueues;
  readonly newId: () => string;
}

/**
 * How long a receiving connection has to acknowledge a live message. Shorter than the sender's
 * 10 s timeout (§10.6), so the sender always hears an answer rather than a timeout.
 */
export const PEER_DELIVERY_ACK_MS = 5_000;
/** A `peer:fetch` answer holds at most this many messages ... */
const FETCH_BATCH_MAX = 50;
/** ... and about this many bytes of message (at least one message, whatever its size). */
const FETCH_BATCH_BYTES = 192 * 1024;

const DELIVERED: SendOutcome = Object.freeze({ delivered: true });
const NOT_DELIVERED: SendOutcome = Object.freeze({ delivered: false });

/**
 * A routed message, with its outcome still to come: boxed, so that waiting for the routing does
 * not wait for the receiver's acknowledgement.
 */
interface Routed {
  readonly outcome: Promise<SendOutcome>;
}

/** A send refused before anything was delivered: a retry of its id is a new send. */
async function refused(attempt: Extract<SendAttempt, { fresh: true }>, error: unknown): Promise<never> {
  await attempt.abandon();
  throw error;
}

/** The answer to the sender, once the outcome is known. */
function receipt(routed: Routed): Promise<PeerSendResult> {
  return routed.outcome.then((outcome) => ({ hasPeerReceived: outcome.delivered }));
}

export class PeerService {
  readonly #d: PeerServiceDeps;
  /** Per user, not per session: a new login must not open a new window. */
  readonly #offlineReceivers: DistinctRateLimiter;
  readonly #offlineCaps: OfflineHoldCaps;

  constructor(deps: PeerServiceDeps) {
    this.#d = deps;
    this.#offlineReceivers = new DistinctRateLimiter(deps.rateLimits, 'offlineReceivers', deps.limits.offlineReceiversRate);
    this.#offlineCaps = {
      maxPerReceiver: deps.limits.offlineMessagesPerReceiver,
      maxSenderBytes: deps.limits.offlineBytesPerSender,
      maxAppBytes: deps.limits.offlineBytesPerApp,
    };
    deps.sessions.addListener({
      ended: (session) => deps.store.dropForSession(session.appId, session.uid, session.sessionId),
    });
  }

  /**
   * Send a peer message from `sender`'s session. Resolves once the receiver acknowledged it or
   * could not be reached; errors are CoreErrors with PeerMessageError codes.
   */
  send(sender: SessionRecord, payload: PeerSendPayload): Promise<PeerSendResult> {
    let dispatched: MaybePromise<Routed>;
    try {
      const { peerId, message } = payload;
      if (!isValidUserId(peerId, this.#d.limits.idMaxLength)) {
        throw new CoreError('PEER_MESSAGE_ERR_INVALID_USERID', 'The peer ID must be 1–64 characters of the allowed set and not "null".');
      }
      checkMessageSize(message, this.#d.limits, 'PEER_MESSAGE_ERR_INVALID_MESSAGE');
      // The queue releases the sender once the message is on its way; the acknowledgement of the
      // receiver is awaited outside it, so a slow receiver does not hold up the sender's next send.
      dispatched = this.#d.senders.run(`${sender.appId}${sender.uid}`, () => this.#dispatch(sender, payload));
    } catch (error) {
      return Promise.reject(error);
    }
    // Always a promise: the receipt waits for the receiver.
    return dispatched instanceof Promise ? dispatched.then(receipt) : receipt(dispatched);
  }

  /**
   * The receiving client drains its mailbox: remove what it acknowledged, answer the next batch.
   */
  async fetch(session: SessionRecord, ack: readonly string[]): Promise<PeerFetchResult> {
    const { appId, uid, sessionId } = session;
    if (ack.length > 0) await this.#d.store.remove(appId, uid, ack);
    const held = await this.#d.store.deliverable(appId, uid, sessionId, this.#d.clock.now(), FETCH_BATCH_MAX);
    const messages: PeerMessageDelivery[] = [];
    let bytes = 0;
    for (const h of held) {
      bytes += wireMessageSize(h.message);
      if (messages.length > 0 && bytes > FETCH_BATCH_BYTES) break;
      messages.push({ id: h.id, from: h.from, message: h.message, serverReceivedTs: h.serverReceivedTs, offline: h.offline });
    }
    return { messages };
  }

  /**
   * Whether a connection of `session` that just opened has held messages to fetch, when the
   * store can tell at once (what `session:ready` tells the client); null when it cannot. Asked
   * once the connection is in its session's room: a message held after this is announced there
   * with `peer:pending`.
   */
  heldNow(session: SessionActor): boolean | null {
    const { store } = this.#d;
    return store.holdsNow ? store.holdsNow(session.appId, session.uid, session.sessionId, this.#d.clock.now()) : null;
  }

  /**
   * Claims the message's id, takes the message rate and routes the message. With the memory store
   * every step answers at once for a receiver with a live connection, and so does this (such a
   * message costs no promise until its receiver's acknowledgement); holding a message for later,
   * a refusal, and a store that answers with promises make it a promise.
   */
  #dispatch(sender: SessionRecord, payload: PeerSendPayload): MaybePromise<Routed> {
    return andThen(this.#d.ledger.begin(sender.appId, sender.uid, `p:${payload.id}`), (attempt) => this.#dispatchAs(sender, payload, attempt));
  }

  #dispatchAs(sender: SessionRecord, payload: PeerSendPayload, attempt: SendAttempt): MaybePromise<Routed> {
    if (!attempt.fresh) return { outcome: attempt.outcome };
    let routed: MaybePromise<Routed>;
    try {
      const now = this.#d.clock.now();
      // Delivered live it is not an offline message, whatever the sender asked for.
      const delivery: PeerMessageDelivery = { id: this.#d.newId(), from: sender.uid, message: payload.message, serverReceivedTs: now, offline: false };
      const taken = this.#d.rate.take(sender.sessionId, now, 'PEER_MESSAGE_ERR_TOO_OFTEN', MESSAGE_RATE_WHAT);
      routed = andThen(taken, () => this.#route(sender, payload.peerId, delivery, payload.offline));
    } catch (error) {
      return refused(attempt, error);
    }
    if (routed instanceof Promise) {
      return routed.then(
        (r) => {
          attempt.finish(r.outcome);
          return r;
        },
        (error: unknown) => refused(attempt, error),
      );
    }
    attempt.finish(routed.outcome);
    return routed;
  }

  /** Deliver or hold; answers once routed, with the outcome still to come. */
  #route(sender: SessionRecord, peerId: string, delivery: PeerMessageDelivery, offline: boolean): MaybePromise<Routed> {
    // Choice (§9.2: UNCONFIRMED what 1.x answers): the Web runtime drops a message whose sender
    // is the local user, so a message to yourself is never delivered; you are online and the
    // server has it, so it resolves `hasPeerReceived: true`.
    if (peerId === delivery.from) return { outcome: Promise.resolve(DELIVERED) };
    return andThen(this.#d.sessions.lookup(sender.appId, peerId), (receiver) => this.#routeTo(sender, peerId, receiver, delivery, offline));
  }

  #routeTo(sender: SessionRecord, peerId: string, receiver: SessionRecord | null, delivery: PeerMessageDelivery, offline: boolean): MaybePromise<Routed> {
    if (!receiver?.connected) return this.#routeHeld(sender, peerId, receiver, delivery, offline);
    const { appId } = sender;
    const acked = this.#d.router.toSessionWithAck(receiver.sessionId, PEER_DELIVERY_ACK_MS, 'peer:message', delivery);
    const outcome = acked.then((received) => {
      if (received) return DELIVERED;
      // The connection did not answer: it may be dead without anyone knowing yet. Hold the
      // message as if the connection were gone; the client drops a copy it already has. The
      // sender has no error channel left here, so a message over a quota is only logged.
      return this.#hold(appId, peerId, delivery, offline, receiver.sessionId).then(
        () => NOT_DELIVERED,
        (error: unknown) => {
          if (error instanceof CoreError) this.#d.log('warn', `an unacknowledged offline message to ${peerId} was not kept: ${error.message}`);
          else this.#d.log('error', 'holding an unacknowledged peer message failed', error);
          return NOT_DELIVERED;
        },
      );
    });
    return { outcome };
  }

  /** A receiver without a live connection: hold the message for it, or drop it (see the top). */
  async #routeHeld(sender: SessionRecord, peerId: string, receiver: SessionRecord | null, delivery: PeerMessageDelivery, offline: boolean): Promise<Routed> {
    const { appId } = sender;
    if (offline) {
      // Only here, where the sender decides that a mailbox fills: the other holds are bounded by
      // a receiver that is logged in (its session's messages go when the session ends).
      const what = 'Offline messages to receivers that are not online';
      await this.#offlineReceivers.take(`${appId}${sender.uid}`, peerId, delivery.serverReceivedTs, 'PEER_MESSAGE_ERR_TOO_OFTEN', what);
    }
    if (receiver || offline) await this.#hold(appId, peerId, delivery, offline, receiver?.sessionId ?? null);
    return { outcome: Promise.resolve(NOT_DELIVERED) };
  }

  async #hold(appId: string, receiver: string, delivery: PeerMessageDelivery, offline: boolean, sessionId: string | null): Promise<void> {
    if (!offline && sessionId === null) return;
    const held: HeldPeerMessage = {
      ...delivery,
      offline,
      sessionId: offline ? null : sessionId,
      expiresAt: delivery.serverReceivedTs + this.#d.timing.offlineMessageTtlMs,
    };
    const evicted = offline
      ? await this.#holdOffline(appId, receiver, held)
      : await this.#d.store.hold(appId, receiver, held, this.#d.limits.offlineMessagesPerReceiver, this.#d.clock.now());
    if (evicted > 0) this.#d.log('warn', `mailbox of ${receiver} is full: dropped its ${evicted} oldest message(s)`);
    // The receiver may have connected since we looked, after its client drained the mailbox:
    // tell it there is more (its client fetches again and drops copies it already has).
    const now = await this.#d.sessions.get(appId, receiver);
    if (now?.connected && (held.sessionId === null || held.sessionId === now.sessionId)) {
      this.#d.router.toSession(now.sessionId, 'peer:pending');
    }
  }

  /** Holds an offline message within the byte quotas; returns how many it evicted. */
  async #holdOffline(appId: string, receiver: string, held: HeldPeerMessage): Promise<number> {
    const caps = this.#offlineCaps;
    const result = await this.#d.store.holdOffline(appId, receiver, held, caps, this.#d.clock.now());
    if (result.ok) return result.evicted;
    if (result.over === 'sender') {
      throw new CoreError(
        'PEER_MESSAGE_ERR_TOO_OFTEN',
        `Offline messages of one user are limited to ${caps.maxSenderBytes} bytes stored at once; more can be stored as receivers fetch theirs.`,
      );
    }
    throw new CoreError('PEER_MESSAGE_ERR_FAILURE', `The server holds as many offline messages for this app as it may (${caps.maxAppBytes} bytes); try again later.`);
  }
}
