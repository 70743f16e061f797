import type {
  CalleeInvitationView,
  IncomingInvitation,
  Limits,
  RemoteInvitationFailureReason,
  RemoteInvitationState,
} from '@rtm-kit/protocol';
import { TypedEmitter } from './emitter.js';
import { rtmError } from './errors.js';
import { checkText } from './local-invitation.js';

/** Events of `RemoteInvitation` (1.x `RtmEvents.RemoteInvitationEvents`, §4.2). */
export interface RemoteInvitationEvents {
  [event: string]: (...args: never[]) => void;
  /** The caller canceled; `content` is what it sent with the cancel (state CANCELED). */
  RemoteInvitationCanceled: (content: string) => void;
  /** You refused (state REFUSED). */
  RemoteInvitationRefused: () => void;
  /** Your accept was confirmed by the caller (state ACCEPTED). */
  RemoteInvitationAccepted: () => void;
  /** It failed (state FAILURE): PEER_OFFLINE, ACCEPT_FAILURE, INVITATION_EXPIRE, UNKNOWN. */
  RemoteInvitationFailure: (reason: RemoteInvitationFailureReason) => void;
}

/** What a `RemoteInvitation` needs from the client that received it. */
export interface RemoteInvitationHost {
  /** The limits of the server logged in to. */
  readonly limits: Limits;
  accept(invitation: RemoteInvitation): void;
  refuse(invitation: RemoteInvitation): void;
  settled(invitation: RemoteInvitation): void;
}

const ENDED: ReadonlySet<RemoteInvitationState> = new Set(['REFUSED', 'ACCEPTED', 'CANCELED', 'FAILURE']);

/**
 * A call invitation you received (1.x `RemoteInvitation`, §4.2), from the client's
 * `RemoteInvitationReceived` event. Set `response` if you like, then `accept()` or `refuse()`;
 * the outcome arrives as events. Misuse throws `InvitationApiCallError`s synchronously.
 *
 * @example
 * client.on('RemoteInvitationReceived', (invitation) => {
 *   invitation.on('RemoteInvitationCanceled', () => hideRinging());
 *   invitation.on('RemoteInvitationAccepted', () => joinCall(invitation.content));
 *   invitation.response = 'on my way';
 *   invitation.accept();
 * });
 */
export class RemoteInvitation extends TypedEmitter<RemoteInvitationEvents> {
  /** @internal Unique per invitation (not part of the 1.x API). */
  readonly callId: string;
  readonly #callerId: string;
  readonly #channelId: string;
  #content: string;
  readonly #host: RemoteInvitationHost;
  #state: RemoteInvitationState = 'INVITATION_RECEIVED';
  #response = '';

  /** @internal made by the client when an invitation arrives */
  constructor(incoming: IncomingInvitation, host: RemoteInvitationHost) {
    super();
    this.callId = incoming.callId;
    this.#callerId = incoming.callerId;
    this.#channelId = incoming.channelId;
    this.#content = incoming.content;
    this.#host = host;
  }

  get callerId(): string {
    return this.#callerId;
  }

  /** The caller's channel ID (Signaling interop), "" if it set none. Read-only. */
  get channelId(): string {
    return this.#channelId;
  }

  /** @internal Typed read-only, as in 1.x; assigning throws at run time as it did there. */
  set channelId(_channelId: string) {
    throw rtmError('INVITATION_API_CALL_ERR_INVALID_ARGUMENT', 'RemoteInvitation.channelId is read-only.');
  }

  /** The caller's content. Read-only. */
  get content(): string {
    return this.#content;
  }

  /** @internal Typed read-only, as in 1.x; assigning throws at run time as it did there. */
  set content(_content: string) {
    throw rtmError('INVITATION_API_CALL_ERR_INVALID_ARGUMENT', 'RemoteInvitation.content is read-only.');
  }

  /** Sent with `accept()` or `refuse()`; at most 8 KB (UTF-8), checked then. */
  get response(): string {
    return this.#response;
  }

  set response(response: string) {
    this.#response = response;
  }

  get state(): RemoteInvitationState {
    return this.#state;
  }

  /**
   * Accept (state ACCEPT_SENT_TO_LOCAL). `RemoteInvitationAccepted` follows once the caller
   * confirmed; no confirmation within 5 s fails it with ACCEPT_FAILURE. Throws `ALREADY_ACCEPT`
   * (4) while accepting, `ALREADY_END` (3) once finished, `INVALID_ARGUMENT` (1) for a response
   * that is not a string of at most 8 KB.
   */
  accept(): void {
    if (ENDED.has(this.#state)) throw rtmError('INVITATION_API_CALL_ERR_ALREADY_END', 'This invitation has finished.');
    if (this.#state === 'ACCEPT_SENT_TO_LOCAL') throw rtmError('INVITATION_API_CALL_ERR_ALREADY_ACCEPT', 'This invitation is being accepted already.');
    checkText(this.#response, 'response', this.#host.limits);
    this.#state = 'ACCEPT_SENT_TO_LOCAL';
    this.#host.accept(this);
  }

  /**
   * Refuse: state REFUSED and `RemoteInvitationRefused` at once; the caller gets
   * `LocalInvitationRefused` with `response`. Throws `ALREADY_ACCEPT` (4) while accepting,
   * `ALREADY_END` (3) once finished, `INVALID_ARGUMENT` (1) for a bad response.
   */
  refuse(): void {
    if (this.#state === 'ACCEPT_SENT_TO_LOCAL') throw rtmError('INVITATION_API_CALL_ERR_ALREADY_ACCEPT', 'This invitation is being accepted.');
    if (ENDED.has(this.#state)) throw rtmError('INVITATION_API_CALL_ERR_ALREADY_END', 'This invitation has finished.');
    checkText(this.#response, 'response', this.#host.limits);
    this.#host.refuse(this);
    this.#end('REFUSED');
    this.emit('RemoteInvitationRefused');
  }

  /** @internal true until the invitation finished. */
  get isOpen(): boolean {
    return !ENDED.has(this.#state);
  }

  /** @internal mirror the server's state of this invitation. */
  apply(view: CalleeInvitationView): void {
    if (ENDED.has(this.#state)) return;
    switch (view.phase) {
      case 'PENDING':
      case 'RECEIVED':
      case 'ACCEPTING':
        return;
      case 'ACCEPTED':
        this.#end('ACCEPTED');
        this.emit('RemoteInvitationAccepted');
        return;
      case 'REFUSED':
        this.#end('REFUSED');
        this.emit('RemoteInvitationRefused');
        return;
      case 'CANCELED':
        this.#content = view.content;
        this.#end('CANCELED');
        this.emit('RemoteInvitationCanceled', view.content);
        return;
      case 'FAILED':
        this.fail(view.reason ?? 'UNKNOWN');
        return;
      case 'UNKNOWN':
        this.fail('UNKNOWN');
        return;
      default: {
        const unreachable: never = view.phase;
        return unreachable;
      }
    }
  }

  /** @internal */
  fail(reason: RemoteInvitationFailureReason): void {
    if (ENDED.has(this.#state)) return;
    this.#end('FAILURE');
    this.emit('RemoteInvitationFailure', reason);
  }

  #end(state: RemoteInvitationState): void {
    this.#state = state;
    this.#host.settled(this);
  }
}
