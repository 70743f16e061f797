import type { InvitationPhase } from '@rtm-kit/protocol';
import type { CreateInvitationResult, InvitationPatch, InvitationRecord, InvitationStore } from '../../core/invitations/store.js';
import { appKey } from './keys.js';

const FINAL: ReadonlySet<InvitationPhase> = new Set(['ACCEPTED', 'REFUSED', 'CANCELED', 'FAILED']);

/** Call invitations of this process, indexed by the sessions and callees they concern. */
export class MemoryInvitationStore implements InvitationStore {
  readonly #invitations = new Map<string, InvitationRecord>();
  /** Open invitations per session (the caller's, and the callee's once it is fixed). */
  readonly #bySession = new Map<string, Set<string>>();
  /** Open invitations per caller session (a subset of `#bySession`, for the cap). */
  readonly #openByCaller = new Map<string, Set<string>>();
  /** PENDING invitations per callee. */
  readonly #pendingByCallee = new Map<string, Set<string>>();

  async createInvitation(record: InvitationRecord, maxOpenOfCaller: number): Promise<CreateInvitationResult> {
    const key = appKey(record.appId, record.callId);
    if (this.#invitations.has(key)) return { ok: false, reason: 'CALL_ID_IN_USE' };
    if ((this.#openByCaller.get(appKey(record.appId, record.callerSessionId))?.size ?? 0) >= maxOpenOfCaller) {
      return { ok: false, reason: 'TOO_MANY_OPEN' };
    }
    this.#invitations.set(key, record);
    this.#index(undefined, record);
    return { ok: true };
  }

  async getInvitation(appId: string, callId: string): Promise<InvitationRecord | null> {
    return this.#invitations.get(appKey(appId, callId)) ?? null;
  }

  async updateInvitation(
    appId: string,
    callId: string,
    from: readonly InvitationPhase[],
    patch: InvitationPatch,
  ): Promise<InvitationRecord | null> {
    const key = appKey(appId, callId);
    const current = this.#invitations.get(key);
    if (!current || !from.includes(current.phase)) return null;
    const next: InvitationRecord = { ...current, ...patch };
    this.#invitations.set(key, next);
    this.#index(current, next);
    return next;
  }

  async invitationsOfSession(appId: string, sessionId: string): Promise<InvitationRecord[]> {
    return this.#collect(this.#bySession.get(appKey(appId, sessionId)));
  }

  async pendingInvitationsTo(appId: string, calleeUid: string): Promise<InvitationRecord[]> {
    return this.#collect(this.#pendingByCallee.get(appKey(appId, calleeUid)));
  }

  async deleteInvitation(appId: string, callId: string): Promise<void> {
    const key = appKey(appId, callId);
    const current = this.#invitations.get(key);
    if (!current) return;
    this.#invitations.delete(key);
    this.#index(current, undefined);
  }

  /** Invitations plus index entries (`MemoryStore.entryCounts`). */
  entryCount(): number {
    return this.#invitations.size + this.#bySession.size + this.#openByCaller.size + this.#pendingByCallee.size;
  }

  #collect(keys: Set<string> | undefined): InvitationRecord[] {
    const out: InvitationRecord[] = [];
    for (const key of keys ?? []) {
      const record = this.#invitations.get(key);
      if (record) out.push(record);
    }
    return out;
  }

  /** Keep the indexes in step with a record's move from `before` to `after`. */
  #index(before: InvitationRecord | undefined, after: InvitationRecord | undefined): void {
    if (before) {
      const key = appKey(before.appId, before.callId);
      unlink(this.#bySession, appKey(before.appId, before.callerSessionId), key);
      unlink(this.#openByCaller, appKey(before.appId, before.callerSessionId), key);
      if (before.calleeSessionId !== null) unlink(this.#bySession, appKey(before.appId, before.calleeSessionId), key);
      unlink(this.#pendingByCallee, appKey(before.appId, before.calleeUid), key);
    }
    if (after && !FINAL.has(after.phase)) {
      const key = appKey(after.appId, after.callId);
      link(this.#bySession, appKey(after.appId, after.callerSessionId), key);
      link(this.#openByCaller, appKey(after.appId, after.callerSessionId), key);
      if (after.calleeSessionId !== null) link(this.#bySession, appKey(after.appId, after.calleeSessionId), key);
      if (after.phase === 'PENDING') link(this.#pendingByCallee, appKey(after.appId, after.calleeUid), key);
    }
  }
}

function link(index: Map<string, Set<string>>, at: string, key: string): void {
  let set = index.get(at);
  if (!set) {
    set = new Set();
    index.set(at, set);
  }
  set.add(key);
}

function unlink(index: Map<string, Set<string>>, at: string, key: string): void {
  const set = index.get(at);
  if (!set) return;
  set.delete(key);
  if (set.size === 0) index.delete(at);
}
