import {
  isValidChannelId,
  isValidUserId,
  utf8ByteLength,
  type CalleeInvitationView,
  type CallerInvitationView,
  type InvitationPhase,
} from '@rtm-kit/protocol';
import { CoreError } from '../errors.js';
import { RateLimiter } from '../rate-limits.js';
import type { SessionLifecycleListener } from '../sessions/lifecycle.js';
import type { SessionActor, SessionRecord } from '../sessions/store.js';
import type { InvitationPatch, InvitationRecord, InvitationStore } from './store.js';
import { calleeView, callerView, incomingOf, refusedCallerView, unknownCalleeView, unknownCallerView } from './views.js';
import type { ServiceContext } from '../context.js';
import { deadlineKey, parseDeadlineKey } from '../scheduler.js';

/** The session a request comes from. */
export type InvitationActor = SessionActor;

export interface InvitationServiceDeps extends ServiceContext {
  readonly store: InvitationStore;
  readonly currentSession: (appId: string, uid: string) => Promise<SessionRecord | null>;
}

/** The deadlines of an invitation, each keyed by `deadlineKey(appId, callId)`. */
const DELIVERY = 'invitation.delivery';
const EXPIRE = 'invitation.expire';
const ACCEPT_ACK = 'invitation.acceptAck';
const FORGET = 'invitation.forget';
const OPEN_DEADLINES = [DELIVERY, EXPIRE, ACCEPT_ACK] as const;

/** Phases from which an invitation can still end. */
const OPEN: readonly InvitationPhase[] = ['PENDING', 'RECEIVED', 'ACCEPTING'];

/** The client acknowledges a delivery at once; one that says nothing this long is not answering. */
const DELIVERY_ACK_TIMEOUT_MS = 10_000;

/**
 * Call invitations (spec §4, §7.6–§7.9, seed 0.9.1). The server holds the one state of each
 * invitation and moves it with compare-and-set steps, so both sides always end on the same
 * outcome; the clients only mirror it.
 *
 * - Delivery: an invitation is handed to the callee whenever the callee has a live connection,
 *   at sending and again on every (re)connection of the callee, until its client acknowledges.
 *   Not acknowledged within `invitationDeliveryMs`: PEER_NO_RESPONSE if it reached a connected
 *   callee, else PEER_OFFLINE (§4.1). (The Web runtime re-sends every 2 s; handing it over on
 *   each connection reaches the callee as soon as it can be reached, without polling.)
 * - Expiry: acknowledged but unanswered for `invitationExpireMs`: INVITATION_EXPIRE, both sides.
 * - Accepting is two steps: the callee's accept puts the invitation in ACCEPTING and is sent to
 *   the caller, whose client confirms it; only the confirmation makes it ACCEPTED for both. A
 *   cancel that crosses the accept arrives before the confirmation (the caller cannot confirm
 *   once it has canceled), so it wins on both sides. No confirmation within
 *   `invitationAcceptAckMs`: the callee fails ACCEPT_FAILURE (§4.2), the caller UNKNOWN.
 * - A party's session ending (logout, kick, end of the grace period) fails its open
 *   invitations: the other side sees PEER_OFFLINE, the party itself NOT_LOGGEDIN (caller) or
 *   UNKNOWN (callee). A callee that was never reached is still waited for, as it may log in.
 * - Limits (none in the spec; `invitationSendRate` per user and `openInvitationsPerSession` per
 *   caller session bound the timers and records one client can make the server hold). A send
 *   over either is not stored and is answered FAILED with reason UNKNOWN: the 1.x `send()` has no
 *   error channel, and §4.1 reports failures other than the named ones as UNKNOWN.
 */
export class InvitationService implements SessionLifecycleListener {
  readonly #d: InvitationServiceDeps;
  readonly #sendRate: RateLimiter;

  constructor(deps: InvitationServiceDeps) {
    this.#d = deps;
    this.#sendRate = new RateLimiter(deps.rateLimits, 'invitationSend', deps.limits.invitationSendRate);
    const onDeadline = (kind: string, run: (record: InvitationRecord) => Promise<unknown>) =>
      deps.scheduler.handle(kind, async (key) => {
        const [appId, callId] = parseDeadlineKey(key);
        if (appId === undefined || callId === undefined) return;
        const record = await deps.store.getInvitation(appId, callId);
        if (record) await run(record);
      });
    onDeadline(DELIVERY, (record) => this.#deliveryTimedOut(record));
    onDeadline(EXPIRE, (record) =>
      this.#end(record, ['RECEIVED'], { phase: 'FAILED', callerReason: 'INVITATION_EXPIRE', calleeReason: 'INVITATION_EXPIRE' }, { caller: true, callee: true }),
    );
    onDeadline(ACCEPT_ACK, (record) =>
      this.#end(record, ['ACCEPTING'], { phase: 'FAILED', callerReason: 'UNKNOWN', calleeReason: 'ACCEPT_FAILURE' }, { caller: true, callee: true }),
    );
    onDeadline(FORGET, (record) => deps.store.deleteInvitation(record.appId, record.callId));
  }

  async send(
    actor: InvitationActor,
    request: { readonly callId: string; readonly calleeId: string; readonly content: string; readonly channelId: string },
  ): Promise<CallerInvitationView> {
    const { limits } = this.#d;
    if (!isValidUserId(request.calleeId, limits.idMaxLength)) invalid('The callee ID is not a valid user ID.');
    if (request.channelId !== '' && !isValidChannelId(request.channelId, limits.idMaxLength)) invalid('The channel ID is not valid.');
    this.#checkText(request.content, 'content');
    // A send the client repeats after a drop (its answer was lost) must meet the call-ID check
    // below, not a refusal: the client cancels the invitation it cannot know about any more.
    if (await this.#d.store.getInvitation(actor.appId, request.callId)) invalid('This call ID is already in use.');
    const now = this.#d.clock.now();
    if (!(await this.#sendRate.tryTake(actor.appId + actor.uid, now))) return refusedCallerView(request.callId);
    const record: InvitationRecord = {
      appId: actor.appId,
      callId: request.callId,
      callerUid: actor.uid,
      callerSessionId: actor.sessionId,
      calleeUid: request.calleeId,
      content: request.content,
      channelId: request.channelId,
      phase: 'PENDING',
      calleeSessionId: null,
      deliveredTo: null,
      response: '',
      callerReason: null,
      calleeReason: null,
      sentAt: now,
      endedAt: null,
    };
    const created = await this.#d.store.createInvitation(record, limits.openInvitationsPerSession);
    if (!created.ok) {
      if (created.reason === 'CALL_ID_IN_USE') invalid('This call ID is already in use.');
      return refusedCallerView(request.callId);
    }
    // A send that raced the end of its own session is over before it started.
    const current = await this.#d.currentSession(actor.appId, actor.uid);
    if (current?.sessionId !== actor.sessionId) {
      const ended = await this.#end(record, OPEN, { phase: 'FAILED', callerReason: 'NOT_LOGGEDIN', calleeReason: 'PEER_OFFLINE' }, { caller: false, callee: true });
      return callerView(ended ?? record);
    }
    await this.#after(DELIVERY, record, this.#d.timing.invitationDeliveryMs);
    void this.#deliver(record).catch((error: unknown) => this.#d.log('error', 'delivering an invitation failed', error));
    return callerView(record);
  }

  async cancel(actor: InvitationActor, request: { readonly callId: string; readonly content: string }): Promise<CallerInvitationView> {
    const record = await this.#asCaller(actor, request.callId);
    this.#checkText(request.content, 'content');
    const ended = await this.#end(record, OPEN, { phase: 'CANCELED', content: request.content }, { caller: false, callee: true });
    return callerView(ended ?? (await this.#reload(record)));
  }

  /** The caller's client confirms the callee's accept: now it is ACCEPTED for both. */
  async confirm(actor: InvitationActor, request: { readonly callId: string }): Promise<CallerInvitationView> {
    const record = await this.#asCaller(actor, request.callId);
    const ended = await this.#end(record, ['ACCEPTING'], { phase: 'ACCEPTED' }, { caller: false, callee: true });
    return callerView(ended ?? (await this.#reload(record)));
  }

  async accept(actor: InvitationActor, request: { readonly callId: string; readonly response: string }): Promise<CalleeInvitationView> {
    const record = await this.#asCallee(actor, request.callId);
    this.#checkText(request.response, 'response');
    const accepting = await this.#d.store.updateInvitation(record.appId, record.callId, ['PENDING', 'RECEIVED'], {
      phase: 'ACCEPTING',
      response: request.response,
      calleeSessionId: actor.sessionId,
    });
    if (!accepting) return calleeView(await this.#reload(record));
    await this.#cancel(record, DELIVERY, EXPIRE);
    await this.#after(ACCEPT_ACK, record, this.#d.timing.invitationAcceptAckMs);
    this.#notify(accepting, { caller: true, callee: false });
    return calleeView(accepting);
  }

  async refuse(actor: InvitationActor, request: { readonly callId: string; readonly response: string }): Promise<CalleeInvitationView> {
    const record = await this.#asCallee(actor, request.callId);
    this.#checkText(request.response, 'response');
    const ended = await this.#end(
      record,
      ['PENDING', 'RECEIVED'],
      { phase: 'REFUSED', response: request.response, calleeSessionId: actor.sessionId },
      { caller: true, callee: false },
    );
    return calleeView(ended ?? (await this.#reload(record)));
  }

  /** Where the caller's unfinished invitations stand, for a client that reconnected. */
  async sync(
    actor: InvitationActor,
    request: { readonly asCaller: readonly string[]; readonly asCallee: readonly string[] },
  ): Promise<{ asCaller: CallerInvitationView[]; asCallee: CalleeInvitationView[] }> {
    const { store } = this.#d;
    const asCaller = await Promise.all(
      request.asCaller.map(async (callId) => {
        const r = await store.getInvitation(actor.appId, callId);
        return r && r.callerUid === actor.uid ? callerView(r) : unknownCallerView(callId);
      }),
    );
    const asCallee = await Promise.all(
      request.asCallee.map(async (callId) => {
        const r = await store.getInvitation(actor.appId, callId);
        return r && r.calleeUid === actor.uid ? calleeView(r) : unknownCalleeView(callId);
      }),
    );
    return { asCaller, asCallee };
  }

  /** A connection of `actor` is live: hand it the invitations waiting for this user. */
  async deliverPending(actor: InvitationActor): Promise<void> {
    const pending = await this.#d.store.pendingInvitationsTo(actor.appId, actor.uid);
    await Promise.all(pending.map((record) => this.#deliver(record)));
  }

  async ended(session: SessionRecord): Promise<void> {
    const open = await this.#d.store.invitationsOfSession(session.appId, session.sessionId);
    for (const record of open) {
      if (record.callerSessionId === session.sessionId) {
        await this.#end(record, OPEN, { phase: 'FAILED', callerReason: 'NOT_LOGGEDIN', calleeReason: 'PEER_OFFLINE' }, { caller: false, callee: true });
      } else {
        await this.#end(record, ['RECEIVED', 'ACCEPTING'], { phase: 'FAILED', callerReason: 'PEER_OFFLINE', calleeReason: 'UNKNOWN' }, { caller: true, callee: false });
      }
    }
  }

  async #deliver(record: InvitationRecord): Promise<void> {
    const session = await this.#d.currentSession(record.appId, record.calleeUid);
    if (!session?.connected) return;
    const marked = await this.#d.store.updateInvitation(record.appId, record.callId, ['PENDING'], { deliveredTo: session.sessionId });
    if (!marked) return;
    const left = record.sentAt + this.#d.timing.invitationDeliveryMs - this.#d.clock.now();
    const timeoutMs = Math.min(DELIVERY_ACK_TIMEOUT_MS, Math.max(1_000, left));
    const acked = await this.#d.router.toSessionWithAck(session.sessionId, timeoutMs, 'invitation:incoming', incomingOf(marked));
    if (!acked) return;
    const received = await this.#d.store.updateInvitation(record.appId, record.callId, ['PENDING'], {
      phase: 'RECEIVED',
      calleeSessionId: session.sessionId,
    });
    if (!received) return;
    await this.#cancel(record, DELIVERY);
    await this.#after(EXPIRE, record, this.#d.timing.invitationExpireMs);
    this.#notify(received, { caller: true, callee: false });
    // Acknowledged by a session that ended meanwhile: its end did not see it as the callee's.
    const current = await this.#d.currentSession(record.appId, record.calleeUid);
    if (current?.sessionId !== session.sessionId) {
      await this.#end(record, ['RECEIVED'], { phase: 'FAILED', callerReason: 'PEER_OFFLINE', calleeReason: 'UNKNOWN' }, { caller: true, callee: false });
    }
  }

  async #deliveryTimedOut(record: InvitationRecord): Promise<void> {
    const now = await this.#d.store.getInvitation(record.appId, record.callId);
    if (now?.phase !== 'PENDING') return;
    const reached = now.deliveredTo !== null;
    await this.#end(
      now,
      ['PENDING'],
      {
        phase: 'FAILED',
        callerReason: reached ? 'PEER_NO_RESPONSE' : 'PEER_OFFLINE',
        // A callee that got it but could not acknowledge in time sees it expire.
        calleeReason: 'INVITATION_EXPIRE',
      },
      { caller: true, callee: reached },
    );
  }

  /** Move an open invitation to a final phase; the updated record, or null if it was not in `from`. */
  async #end(
    record: InvitationRecord,
    from: readonly InvitationPhase[],
    patch: InvitationPatch & { readonly phase: InvitationPhase },
    tell: { readonly caller: boolean; readonly callee: boolean },
  ): Promise<InvitationRecord | null> {
    const ended = await this.#d.store.updateInvitation(record.appId, record.callId, from, { ...patch, endedAt: this.#d.clock.now() });
    if (!ended) return null;
    await this.#cancel(record, ...OPEN_DEADLINES);
    await this.#after(FORGET, record, this.#d.timing.endedInvitationMemoryMs);
    this.#notify(ended, tell);
    return ended;
  }

  #notify(record: InvitationRecord, tell: { readonly caller: boolean; readonly callee: boolean }): void {
    if (tell.caller) this.#d.router.toSession(record.callerSessionId, 'invitation:caller', callerView(record));
    const calleeSession = record.calleeSessionId ?? record.deliveredTo;
    if (tell.callee && calleeSession !== null) this.#d.router.toSession(calleeSession, 'invitation:callee', calleeView(record));
  }

  async #asCaller(actor: InvitationActor, callId: string): Promise<InvitationRecord> {
    const record = await this.#d.store.getInvitation(actor.appId, callId);
    if (!record || record.callerUid !== actor.uid || record.callerSessionId !== actor.sessionId) invalid('No such invitation from this session.');
    return record;
  }

  async #asCallee(actor: InvitationActor, callId: string): Promise<InvitationRecord> {
    const record = await this.#d.store.getInvitation(actor.appId, callId);
    if (!record || record.calleeUid !== actor.uid || (record.calleeSessionId ?? actor.sessionId) !== actor.sessionId) {
      invalid('No such invitation to this session.');
    }
    return record;
  }

  async #reload(record: InvitationRecord): Promise<InvitationRecord> {
    return (await this.#d.store.getInvitation(record.appId, record.callId)) ?? record;
  }

  #checkText(text: string, what: 'content' | 'response'): void {
    const max = this.#d.limits.invitationContentMaxBytes;
    if (utf8ByteLength(text) > max) invalid(`The invitation ${what} must be at most ${max} bytes (UTF-8).`);
  }

  #after(kind: string, record: InvitationRecord, ms: number): Promise<void> {
    return this.#d.scheduler.schedule(kind, keyOf(record), this.#d.clock.now() + ms);
  }

  async #cancel(record: InvitationRecord, ...kinds: readonly string[]): Promise<void> {
    await Promise.all(kinds.map((kind) => this.#d.scheduler.cancel(kind, keyOf(record))));
  }
}

function keyOf(record: Pick<InvitationRecord, 'appId' | 'callId'>): string {
  return deadlineKey(record.appId, record.callId);
}

function invalid(message: string): never {
  throw new CoreError('INVITATION_API_CALL_ERR_INVALID_ARGUMENT', message);
}
