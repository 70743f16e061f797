import {
  isValidUserId,
  type CalleeInvitationView,
  type CallerInvitationView,
  type ClientEventName,
  type IncomingInvitation,
  type Limits,
  type RequestPayload,
  type RequestResult,
} from '@rtm-kit/protocol';
import type { Logger } from './config.js';
import type { Connection } from './connection.js';
import { rtmError } from './errors.js';
import { newCallId } from './ids.js';
import { LocalInvitation, type LocalInvitationHost } from './local-invitation.js';
import { RemoteInvitation, type RemoteInvitationHost } from './remote-invitation.js';
import { Resync } from './resync.js';

/** Call IDs of invitations already received, so a repeated delivery is not reported twice. */
const SEEN_CALL_IDS_MAX = 1_000;

/**
 * The call invitations of one client (spec §4). The server holds each invitation's state; this
 * sends the app's actions, mirrors the server's answers and events onto the `LocalInvitation`
 * and `RemoteInvitation` objects, and after a reconnect asks where its unfinished invitations
 * stand (an outcome may have been decided while it was away), asking again with a backoff until
 * it has an answer (`Resync`). When the session ends (logout, kick) unfinished invitations fail
 * at once: sent ones with NOT_LOGGEDIN, received ones UNKNOWN.
 *
 * A send the server will not take on (over its `invitationSendRate` or
 * `openInvitationsPerSession`) is answered FAILED: the invitation fails at once with
 * `LocalInvitationFailure(UNKNOWN)`, the one way 1.x reports a failure of `send()` (§4.1).
 */
export class Invitations implements LocalInvitationHost, RemoteInvitationHost {
  readonly #connection: Connection;
  readonly #log: Logger;
  readonly #received: (invitation: RemoteInvitation) => void;
  readonly #local = new Map<string, LocalInvitation>();
  readonly #remote = new Map<string, RemoteInvitation>();
  readonly #seen = new Set<string>();
  readonly #resync: Resync;
  /** Whether the round of syncs under way follows a resumed session (see `#sync`). */
  #resumed = true;

  constructor(connection: Connection, log: Logger, received: (invitation: RemoteInvitation) => void) {
    this.#connection = connection;
    this.#log = log;
    this.#received = received;
    this.#resync = new Resync(connection, log, 'asking after invitations', () => this.#sync());
    connection.onServer('invitation:incoming', (incoming, ack) => this.#incoming(incoming, ack));
    connection.onServer('invitation:caller', (view) => this.#local.get(view.callId)?.apply(view, 'UNKNOWN'));
    connection.onServer('invitation:callee', (view) => this.#remote.get(view.callId)?.apply(view));
    connection.addHooks({
      ready: (info) => {
        if (info.initial) return undefined;
        this.#resumed = info.resumed;
        return this.#resync.start();
      },
      closed: () => {
        this.#resync.stop();
        for (const invitation of [...this.#local.values()]) invitation.fail('NOT_LOGGEDIN');
        for (const invitation of [...this.#remote.values()]) invitation.fail('UNKNOWN');
        this.#local.clear();
        this.#remote.clear();
      },
    });
  }

  get limits(): Limits {
    return this.#connection.limits;
  }

  /** `createLocalInvitation`: throws INVITATION_API_CALL_ERR_INVALID_ARGUMENT for a bad callee ID. */
  create(calleeId: unknown): LocalInvitation {
    if (!isValidUserId(calleeId, this.#connection.limits.idMaxLength)) {
      throw rtmError('INVITATION_API_CALL_ERR_INVALID_ARGUMENT', 'The callee ID must be 1–64 characters of the allowed set and not "null".');
    }
    return new LocalInvitation(calleeId, newCallId(), this);
  }

  send(invitation: LocalInvitation): void {
    this.#local.set(invitation.callId, invitation);
    if (!this.#connection.isLoggedIn) {
      // §4.1: sending while not logged in fails NOT_LOGGEDIN, reported after send() returns.
      queueMicrotask(() => invitation.fail('NOT_LOGGEDIN'));
      return;
    }
    const { callId, calleeId, content, channelId } = invitation;
    this.#request('invitation:send', { callId, calleeId, content, channelId }, true).then(
      (view) => {
        if (view.phase === 'FAILED' && view.reason === 'UNKNOWN') {
          this.#log.warn(`invitation ${callId} was refused by the server: too many invitations sent or still open`);
        }
        invitation.markKnown();
        invitation.apply(view, 'UNKNOWN');
      },
      (error: unknown) => {
        this.#log.warn(`sending invitation ${callId} failed: ${describe(error)}`);
        const loggedIn = this.#connection.isLoggedIn;
        invitation.fail(loggedIn ? 'UNKNOWN' : 'NOT_LOGGEDIN');
        // The server may have it after all (an answer that timed out): make sure it does not ring.
        if (loggedIn) this.#request('invitation:cancel', { callId, content }, false).catch(() => undefined);
      },
    );
  }

  cancel(invitation: LocalInvitation): void {
    if (!this.#connection.isLoggedIn) return; // the end of the session ends it on the server
    const { callId, content } = invitation;
    this.#request('invitation:cancel', { callId, content }, true).catch((error: unknown) => {
      this.#log.warn(`canceling invitation ${callId} failed: ${describe(error)}`);
    });
  }

  confirm(invitation: LocalInvitation): void {
    this.#request('invitation:confirm', { callId: invitation.callId }, true).then(
      (view) => invitation.apply(view, 'UNKNOWN'),
      (error: unknown) => {
        // Not confirmed: the server fails it after its accept timeout, or a sync tells.
        this.#log.warn(`confirming the accept of ${invitation.callId} failed: ${describe(error)}`);
        invitation.confirmFailed();
      },
    );
  }

  accept(invitation: RemoteInvitation): void {
    this.#request('invitation:accept', { callId: invitation.callId, response: invitation.response }, true).then(
      (view) => invitation.apply(view),
      (error: unknown) => {
        this.#log.warn(`accepting invitation ${invitation.callId} failed: ${describe(error)}`);
        invitation.fail('UNKNOWN');
      },
    );
  }

  refuse(invitation: RemoteInvitation): void {
    this.#request('invitation:refuse', { callId: invitation.callId, response: invitation.response }, true).catch((error: unknown) => {
      this.#log.warn(`refusing invitation ${invitation.callId} failed: ${describe(error)}`);
    });
  }

  settled(invitation: LocalInvitation | RemoteInvitation): void {
    if (invitation instanceof LocalInvitation) {
      if (this.#local.get(invitation.callId) === invitation) this.#local.delete(invitation.callId);
    } else if (this.#remote.get(invitation.callId) === invitation) {
      this.#remote.delete(invitation.callId);
    }
  }

  #incoming(incoming: IncomingInvitation, ack: () => void): void {
    // Acknowledge first, so an accept made in a listener reaches the server after the receipt.
    if (typeof ack === 'function') ack();
    // §4.2 (runtime): a repeated delivery of the same call ID is ignored.
    if (this.#seen.has(incoming.callId)) return;
    this.#seen.add(incoming.callId);
    if (this.#seen.size > SEEN_CALL_IDS_MAX) {
      const oldest = this.#seen.values().next();
      if (!oldest.done) this.#seen.delete(oldest.value);
    }
    const invitation = new RemoteInvitation(incoming, this);
    this.#remote.set(invitation.callId, invitation);
    this.#received(invitation);
  }

  /**
   * After a reconnect: ask the server about every unfinished invitation it has heard of (a send
   * still unanswered is sent again by the connection itself). One it no longer knows fails:
   * NOT_LOGGEDIN for the caller if the session is new, else UNKNOWN. A failed ask throws and is
   * asked again (`Resync`); the views only move an invitation forward, so an answer that arrives
   * after a live event changes nothing.
   */
  async #sync(): Promise<void> {
    const asCaller = [...this.#local.values()].filter((i) => i.isKnown && i.isOpen).map((i) => i.callId);
    const asCallee = [...this.#remote.values()].filter((i) => i.isOpen).map((i) => i.callId);
    if (asCaller.length === 0 && asCallee.length === 0) return;
    const answer = await this.#request('invitation:sync', { asCaller, asCallee }, false, true);
    const unknownReason = this.#resumed ? 'UNKNOWN' : 'NOT_LOGGEDIN';
    for (const view of answer.asCaller) this.#local.get(view.callId)?.apply(view as CallerInvitationView, unknownReason);
    for (const view of answer.asCallee) this.#remote.get(view.callId)?.apply(view as CalleeInvitationView);
  }


  #request<E extends ClientEventName>(event: E, payload: RequestPayload<E>, resend: boolean, restore = false): Promise<RequestResult<E>> {
    return this.#connection.request(event, payload, {
      timeoutMs: this.#connection.timing.requestTimeoutMs,
      waitForReconnect: true,
      resendOnReconnect: resend,
      // Failures never reach the app as errors (the group has no code for them): they become
      // failure reasons above.
      restore,
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
