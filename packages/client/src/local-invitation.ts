import {
  isValidChannelId,
  utf8ByteLength,
  type CallerInvitationView,
  type Limits,
  type LocalInvitationFailureReason,
  type LocalInvitationState,
} from '@rtm-kit/protocol';
import { TypedEmitter } from './emitter.js';
import { rtmError } from './errors.js';

/** Events of `LocalInvitation` (1.x `RtmEvents.LocalInvitationEvents`, §4.1). */
export interface LocalInvitationEvents {
  [event: string]: (...args: never[]) => void;
  /** The callee's client has the invitation (state RECEIVED_BY_REMOTE). */
  LocalInvitationReceivedByPeer: () => void;
  /** The callee accepted (state ACCEPTED_BY_REMOTE). */
  LocalInvitationAccepted: (response: string) => void;
  /** The callee refused (state REFUSED_BY_REMOTE). */
  LocalInvitationRefused: (response: string) => void;
  /** You canceled it (state CANCELED). */
  LocalInvitationCanceled: () => void;
  /** It failed (state FAILURE): PEER_OFFLINE, PEER_NO_RESPONSE, INVITATION_EXPIRE, NOT_LOGGEDIN, UNKNOWN. */
  LocalInvitationFailure: (reason: LocalInvitationFailureReason) => void;
}

/** What a `LocalInvitation` needs from the client that made it. */
export interface LocalInvitationHost {
  /** The limits of the server logged in to (the defaults before the first login). */
  readonly limits: Limits;
  send(invitation: LocalInvitation): void;
  cancel(invitation: LocalInvitation): void;
  confirm(invitation: LocalInvitation): void;
  settled(invitation: LocalInvitation): void;
}

const ENDED: ReadonlySet<LocalInvitationState> = new Set(['ACCEPTED_BY_REMOTE', 'REFUSED_BY_REMOTE', 'CANCELED', 'FAILURE']);

/**
 * A call invitation you send (1.x `LocalInvitation`, §4.1). Make it with
 * `client.createLocalInvitation(calleeId)`, set `content` (and `channelId` for Signaling interop),
 * then `send()`; the outcome arrives as events. `send()` and `cancel()` throw `RtmError`s of the
 * `InvitationApiCallError` group synchronously for misuse. A finished invitation cannot be sent
 * again; create a new one.
 *
 * @example
 * const invitation = client.createLocalInvitation('bob');
 * invitation.content = JSON.stringify({ room: 'r-42' });
 * invitation.on('LocalInvitationAccepted', (response) => startCall(response));
 * invitation.on('LocalInvitationFailure', (reason) => showError(reason));
 * invitation.send();
 */
export class LocalInvitation extends TypedEmitter<LocalInvitationEvents> {
  /** @internal Unique per invitation (a uuid; not part of the 1.x API). */
  readonly callId: string;
  readonly #calleeId: string;
  readonly #host: LocalInvitationHost;
  #state: LocalInvitationState = 'IDLE';
  #content = '';
  #channelId = '';
  #response = '';
  #receivedReported = false;
  /** The callee accepted and the confirmation is on its way: the outcome is settled. */
  #confirming = false;
  /** The server has the invitation (its send was answered). */
  #known = false;

  /** @internal use `client.createLocalInvitation(calleeId)` */
  constructor(calleeId: string, callId: string, host: LocalInvitationHost) {
    super();
    this.#calleeId = calleeId;
    this.callId = callId;
    this.#host = host;
  }

  get calleeId(): string {
    return this.#calleeId;
  }

  /** Sent with the invitation and again with a cancel; at most 8 KB (UTF-8), checked on send. */
  get content(): string {
    return this.#content;
  }

  set content(content: string) {
    this.#content = content;
  }

  /**
   * The channel for Signaling interop (seed 1.0.0); the SDK joins nothing. Like the Web runtime,
   * assigning it after `send()` is ignored.
   */
  get channelId(): string {
    return this.#channelId;
  }

  set channelId(channelId: string) {
    if (this.#state === 'IDLE') this.#channelId = channelId;
  }

  /** The callee's response, once it accepted or refused. Read-only. */
  get response(): string {
    return this.#response;
  }

  /** @internal Typed read-only, as in 1.x; assigning throws at run time as it did there. */
  set response(_response: string) {
    throw rtmError('INVITATION_API_CALL_ERR_INVALID_ARGUMENT', 'LocalInvitation.response is read-only; the callee sets it.');
  }

  get state(): LocalInvitationState {
    return this.#state;
  }

  /**
   * Send the invitation (state SENT_TO_REMOTE). Throws `ALREADY_SENT` (5) while it is out,
   * `ALREADY_END` (3) once it finished, `INVALID_ARGUMENT` (1) for a channel ID that is not valid
   * or content that is not a string of at most 8 KB.
   */
  send(): void {
    if (this.#state === 'SENT_TO_REMOTE' || this.#state === 'RECEIVED_BY_REMOTE') {
      throw rtmError('INVITATION_API_CALL_ERR_ALREADY_SENT', 'This invitation has been sent already.');
    }
    if (ENDED.has(this.#state)) throw rtmError('INVITATION_API_CALL_ERR_ALREADY_END', 'This invitation has finished; create a new one.');
    const { limits } = this.#host;
    if (typeof this.#channelId !== 'string' || (this.#channelId !== '' && !isValidChannelId(this.#channelId, limits.idMaxLength))) {
      throw rtmError('INVITATION_API_CALL_ERR_INVALID_ARGUMENT', 'The channel ID is not valid.');
    }
    checkText(this.#content, 'content', limits);
    this.#state = 'SENT_TO_REMOTE';
    this.#host.send(this);
  }

  /**
   * Cancel the invitation: state CANCELED and `LocalInvitationCanceled` at once; the callee gets
   * `RemoteInvitationCanceled` with the current `content`. Throws `NOT_STARTED` (2) before
   * `send()`, `ALREADY_END` (3) once it finished, and also once the callee's accept has arrived
   * and is being confirmed (then the call is already on, as in the Web runtime, where the
   * invitation is ACCEPTED_BY_REMOTE at that point).
   */
  cancel(): void {
    if (this.#state === 'IDLE') throw rtmError('INVITATION_API_CALL_ERR_NOT_STARTED', 'This invitation has not been sent.');
    if (ENDED.has(this.#state) || this.#confirming) {
      throw rtmError('INVITATION_API_CALL_ERR_ALREADY_END', 'This invitation has finished or been accepted.');
    }
    checkText(this.#content, 'content', this.#host.limits);
    this.#host.cancel(this);
    this.#end('CANCELED');
    this.emit('LocalInvitationCanceled');
  }

  /** @internal the server answered the send: it knows this invitation. */
  markKnown(): void {
    this.#known = true;
  }

  /** @internal true once the server has the invitation. */
  get isKnown(): boolean {
    return this.#known;
  }

  /** @internal true until the invitation finished. */
  get isOpen(): boolean {
    return !ENDED.has(this.#state);
  }

  /** @internal the confirmation of an accept could not be sent; a later view will tell. */
  confirmFailed(): void {
    this.#confirming = false;
  }

  /** @internal mirror the server's state of this invitation (§4.1 event order). */
  apply(view: CallerInvitationView, unknownReason: LocalInvitationFailureReason): void {
    if (ENDED.has(this.#state)) return;
    switch (view.phase) {
      case 'PENDING':
        return;
      case 'RECEIVED':
        this.#reportReceived();
        return;
      case 'ACCEPTING':
        this.#reportReceived();
        if (!this.#confirming) {
          this.#confirming = true;
          this.#host.confirm(this);
        }
        return;
      case 'ACCEPTED':
        this.#reportReceived();
        this.#response = view.response;
        this.#end('ACCEPTED_BY_REMOTE');
        this.emit('LocalInvitationAccepted', view.response);
        return;
      case 'REFUSED':
        // §4.1: an answer that overtakes the receipt is reported after ReceivedByPeer.
        this.#reportReceived();
        this.#response = view.response;
        this.#end('REFUSED_BY_REMOTE');
        this.emit('LocalInvitationRefused', view.response);
        return;
      case 'CANCELED':
        this.#end('CANCELED');
        this.emit('LocalInvitationCanceled');
        return;
      case 'FAILED':
        this.fail(view.reason ?? 'UNKNOWN');
        return;
      case 'UNKNOWN':
        this.fail(unknownReason);
        return;
      default: {
        const unreachable: never = view.phase;
        return unreachable;
      }
    }
  }

  /** @internal */
  fail(reason: LocalInvitationFailureReason): void {
    if (ENDED.has(this.#state)) return;
    this.#end('FAILURE');
    this.emit('LocalInvitationFailure', reason);
  }

  #reportReceived(): void {
    if (this.#receivedReported) return;
    this.#receivedReported = true;
    this.#state = 'RECEIVED_BY_REMOTE';
    this.emit('LocalInvitationReceivedByPeer');
  }

  #end(state: LocalInvitationState): void {
    this.#state = state;
    this.#confirming = false;
    this.#host.settled(this);
  }
}

/** Invitation content and responses: strings of at most 8 KB UTF-8 (§10.2), or the server's limit. */
export function checkText(text: unknown, what: string, limits: Limits): void {
  if (typeof text !== 'string') throw rtmError('INVITATION_API_CALL_ERR_INVALID_ARGUMENT', `The invitation ${what} must be a string.`);
  const max = limits.invitationContentMaxBytes;
  if (utf8ByteLength(text) > max) {
    throw rtmError('INVITATION_API_CALL_ERR_INVALID_ARGUMENT', `The invitation ${what} must be at most ${max} bytes (UTF-8).`);
  }
}
