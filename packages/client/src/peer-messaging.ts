import { isValidUserId, type PeerMessageDelivery } from '@rtm-kit/protocol';
import type { Logger } from './config.js';
import type { Connection } from './connection.js';
import { rtmError } from './errors.js';
import { fromWireMessage, toWireMessage, type PeerMessageSendResult, type ReceivedMessageProperties, type RtmMessage, type SendMessageOptions } from './messages.js';
import { budgetSpent, newMessageId, type MessageBudget } from './outgoing-messages.js';

/** How the client reports a received peer message (`MessageFromPeer`). */
export type PeerMessageListener = (message: RtmMessage, peerId: string, props: ReceivedMessageProperties) => void;

/**
 * Received ids remembered to drop a second copy (a redelivery after a lost acknowledgement): a
 * Set that forgets its oldest id, not lru-cache (6 kB gzip) or @isaacs/ttlcache (1.6 kB), which
 * would grow a bundle already over its size target for three lines of code.
 */
const REMEMBERED_IDS = 4_096;
/** Rounds of one drain of the server's mailbox (200 messages fit in a handful). */
const MAX_FETCH_ROUNDS = 64;

/**
 * Peer messages on the client (spec §2.2, §9.2): sending with the 1.x checks, and receiving —
 * live messages (acknowledged, which is what makes the sender's `hasPeerReceived` true) and the
 * messages the server held (offline messages, seeds 0.9.3; messages that arrived while the
 * connection was gone). Held ones are drained after every (re)connection, before anything that
 * arrives live meanwhile, so one sender's messages are reported in the order sent, each once.
 */
export class PeerMessaging {
  readonly #connection: Connection;
  readonly #budget: MessageBudget;
  readonly #report: PeerMessageListener;
  readonly #log: Logger;
  readonly #seen = new Set<string>();
  /** Live messages that arrived during a drain, reported after it. */
  #held: PeerMessageDelivery[] = [];
  #draining = false;
  #drainAgain = false;
  /** Bumped on every connection and at logout: an abandoned drain reports nothing. */
  #generation = 0;
  /** A `peer:pending` came since the last `session:ready`. */
  #announced = false;

  constructor(connection: Connection, budget: MessageBudget, report: PeerMessageListener, log: Logger) {
    this.#connection = connection;
    this.#budget = budget;
    this.#report = report;
    this.#log = log;
    connection.onServer('peer:message', (delivery, ack) => {
      this.#receive(delivery);
      if (typeof ack === 'function') ack(true);
    });
    connection.onServer('peer:pending', () => {
      this.#announced = true;
      void this.#drain();
    });
    connection.addHooks({
      ready: (info) => {
        // A drain of the previous connection may be waiting for an answer that died with it:
        // abandon it (its late answer is ignored) and drain afresh on this connection, unless
        // the server said nothing is held and announced nothing since (a `peer:pending` may
        // come before `session:ready`, when its drain could not be sent yet).
        const wanted = info.heldPeerMessages || this.#announced;
        this.#announced = false;
        this.#generation++;
        this.#draining = false;
        return wanted ? this.#drain() : undefined;
      },
      closed: () => this.#reset(),
    });
  }

  /**
   * `sendMessageToPeer` (§2.2). While RECONNECTING the message waits for the connection (up to
   * 9 s of its 10 s timeout, seed 1.0.1) and is then sent; a message in flight when the
   * connection drops is sent again with the same id, and the server delivers it once.
   */
  async send(message: unknown, peerId: unknown, options: SendMessageOptions | undefined): Promise<PeerMessageSendResult> {
    if (!isValidUserId(peerId)) {
      throw rtmError('PEER_MESSAGE_ERR_INVALID_USERID', 'The peer ID must be 1–64 characters of the allowed set and not "null".');
    }
    const wire = await toWireMessage(message, 'PEER_MESSAGE_ERR_INVALID_MESSAGE', this.#connection.limits);
    if (!this.#connection.isLoggedIn) {
      throw rtmError('PEER_MESSAGE_ERR_USER_NOT_LOGGED_IN', 'Log in before sending peer messages.');
    }
    const { messageRate } = this.#connection.limits;
    if (!this.#budget.tryTake(messageRate)) {
      throw rtmError('PEER_MESSAGE_ERR_TOO_OFTEN', budgetSpent(messageRate));
    }
    const offline = typeof options === 'object' && options !== null && options.enableOfflineMessaging === true;
    const { timing } = this.#connection;
    const result = await this.#connection.request(
      'peer:send',
      { id: newMessageId(), peerId, message: wire, offline },
      {
        timeoutMs: timing.peerMessageTimeoutMs,
        waitForReconnect: true,
        resendOnReconnect: true,
      },
    );
    return { hasPeerReceived: result.hasPeerReceived };
  }

  #receive(delivery: PeerMessageDelivery): void {
    if (this.#draining) this.#held.push(delivery);
    else this.#deliver(delivery);
  }

  #deliver(delivery: PeerMessageDelivery): void {
    if (this.#seen.has(delivery.id)) return;
    this.#seen.add(delivery.id);
    if (this.#seen.size > REMEMBERED_IDS) this.#seen.delete(this.#seen.values().next().value as string);
    // §9.2: the runtime drops anything whose sender is the local user.
    if (delivery.from === this.#connection.uid) return;
    this.#report(fromWireMessage(delivery.message), delivery.from, {
      serverReceivedTs: delivery.serverReceivedTs,
      isOfflineMessage: delivery.offline,
    });
  }

  /**
   * Fetch what the server holds, report it, and acknowledge it with the next fetch: the server
   * removes a message only once this client has it.
   */
  async #drain(): Promise<void> {
    if (this.#draining) {
      this.#drainAgain = true;
      return;
    }
    const generation = this.#generation;
    this.#draining = true;
    this.#drainAgain = false;
    try {
      let ack: string[] = [];
      for (let round = 0; round < MAX_FETCH_ROUNDS && generation === this.#generation; round++) {
        const { messages } = await this.#connection.request('peer:fetch', { ack }, {
          timeoutMs: this.#connection.timing.requestTimeoutMs,
          restore: true,
        });
        if (generation !== this.#generation) return;
        for (const delivery of messages) this.#deliver(delivery);
        ack = messages.map((m) => m.id);
        if (messages.length === 0) {
          if (!this.#drainAgain) break;
          this.#drainAgain = false;
        }
      }
    } catch (error) {
      // The connection went away; the next one drains again and nothing held is lost.
      this.#log.warn(`fetching held peer messages failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      if (generation === this.#generation) {
        this.#draining = false;
        const held = this.#held;
        this.#held = [];
        for (const delivery of held) this.#deliver(delivery);
      }
    }
  }

  #reset(): void {
    this.#announced = false;
    this.#generation++;
    this.#draining = false;
    this.#drainAgain = false;
    this.#held = [];
  }
}
