import type { Request } from '../ack.js';
import type { WireMessage } from '../models/message.js';
import type { RequestErrorCodes } from './request-errors.js';

/** `peer:send`: one peer message (§2.2, §9.2). The sender is the session, never the payload. */
export interface PeerSendPayload {
  /**
   * Made by the sending client, unique per message. A send retried across a reconnect carries
   * the same id, so the server delivers it once and answers the retry with the first outcome.
   */
  readonly id: string;
  readonly peerId: string;
  readonly message: WireMessage;
  /** 1.4.x `SendMessageOptions.enableOfflineMessaging`: store it if the peer cannot be reached. */
  readonly offline: boolean;
}

/** 1.x `PeerMessageSendResult`. */
export interface PeerSendResult {
  /** True only when the receiving client acknowledged the message. */
  readonly hasPeerReceived: boolean;
}

/** A peer message as the receiving client gets it. */
export interface PeerMessageDelivery {
  /** Made by the server; the same message delivered twice (after a lost ack) has the same id. */
  readonly id: string;
  readonly from: string;
  readonly message: WireMessage;
  /** When the server received the message (ms since the epoch). */
  readonly serverReceivedTs: number;
  /** True for a message stored for an offline receiver (`isOfflineMessage`, 1.4.x). */
  readonly offline: boolean;
}

/**
 * `peer:fetch`: the receiving client drains what the server holds for it (offline messages, and
 * messages that arrived while its connection was gone). `ack` names the messages of the previous
 * batch the client now has; the server removes exactly those, then answers with the next batch.
 * A message is therefore removed only after the client has it.
 */
export interface PeerFetchPayload {
  readonly ack: readonly string[];
}

export interface PeerFetchResult {
  /** Oldest first; empty when nothing is left. */
  readonly messages: readonly PeerMessageDelivery[];
}

/** Requests of the peer domain (`peer:*`). */
export interface PeerClientEvents {
  'peer:send': Request<PeerSendPayload, PeerSendResult>;
  'peer:fetch': Request<PeerFetchPayload, PeerFetchResult>;
}

/** Events the server sends in the peer domain. */
export interface PeerServerEvents {
  /** A live peer message. The client acknowledges it; only then is `hasPeerReceived` true. */
  'peer:message': (delivery: PeerMessageDelivery, ack: (received: boolean) => void) => void;
  /** The server holds messages for this session: fetch them with `peer:fetch`. */
  'peer:pending': () => void;
}

export const PEER_REQUEST_ERRORS: { readonly [E in keyof PeerClientEvents]: RequestErrorCodes } = {
  // A malformed peer ID that is still a string gets INVALID_USERID from the core; anything the
  // schema refuses (no message, a number for a peer ID ...) is an invalid message.
  'peer:send': {
    invalid: 'PEER_MESSAGE_ERR_INVALID_MESSAGE',
    failure: 'PEER_MESSAGE_ERR_FAILURE',
    notLoggedIn: 'PEER_MESSAGE_ERR_USER_NOT_LOGGED_IN',
    timeout: 'PEER_MESSAGE_ERR_TIMEOUT',
  },
  // The group has no argument code; a malformed fetch is a plain failure.
  'peer:fetch': {
    invalid: 'PEER_MESSAGE_ERR_FAILURE',
    failure: 'PEER_MESSAGE_ERR_FAILURE',
    notLoggedIn: 'PEER_MESSAGE_ERR_USER_NOT_LOGGED_IN',
    timeout: 'PEER_MESSAGE_ERR_TIMEOUT',
  },
};
