import type { EndConditions, EndedSession, SessionEnd, SessionRecord, SessionStore } from '../../core/store.js';
import { appKey } from './keys.js';

/** Sessions and why recent ones ended, in this process. */
export class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, SessionRecord>();
  readonly #ended = new Map<string, EndedSession & { until: number }>();

  async claimSession(record: SessionRecord, rememberUntil: number): Promise<SessionRecord | null> {
    const key = appKey(record.appId, record.uid);
    const previous = this.#sessions.get(key) ?? null;
    this.#sessions.set(key, record);
    if (previous) this.#remember(previous, 'REMOTE_LOGIN', rememberUntil);
    return previous;
  }

  getSession(appId: string, uid: string): SessionRecord | null {
    return this.#sessions.get(appKey(appId, uid)) ?? null;
  }

  async attachSession(appId: string, uid: string, sessionId: string): Promise<SessionRecord | null> {
    const key = appKey(appId, uid);
    const current = this.#sessions.get(key);
    if (!current || current.sessionId !== sessionId) return null;
    const next = { ...current, epoch: current.epoch + 1, connected: true, disconnectedAt: null };
    this.#sessions.set(key, next);
    return next;
  }

  async detachSession(appId: string, uid: string, sessionId: string, epoch: number, at: number): Promise<SessionRecord | null> {
    const key = appKey(appId, uid);
    const current = this.#sessions.get(key);
    if (!current || current.sessionId !== sessionId || current.epoch !== epoch || !current.connected) return null;
    const next = { ...current, connected: false, disconnectedAt: at };
    this.#sessions.set(key, next);
    return next;
  }

  async setTokenExpiry(appId: string, uid: string, sessionId: string, tokenExpiresAt: number | null): Promise<boolean> {
    const key = appKey(appId, uid);
    const current = this.#sessions.get(key);
    if (!current || current.sessionId !== sessionId) return false;
    this.#sessions.set(key, { ...current, tokenExpiresAt });
    return true;
  }

  async endSession(
    appId: string,
    uid: string,
    sessionId: string,
    reason: SessionEnd,
    conditions: EndConditions,
    rememberUntil: number,
  ): Promise<SessionRecord | null> {
    const key = appKey(appId, uid);
    const current = this.#sessions.get(key);
    if (!current || current.sessionId !== sessionId) return null;
    if (conditions.epoch !== undefined && current.epoch !== conditions.epoch) return null;
    if (conditions.disconnected && current.connected) return null;
    if (
      conditions.tokenExpiredBy !== undefined &&
      (current.tokenExpiresAt === null || current.tokenExpiresAt > conditions.tokenExpiredBy)
    ) {
      return null;
    }
    this.#sessions.delete(key);
    this.#remember(current, reason, rememberUntil);
    return current;
  }

  async getEndedSession(sessionId: string, now: number): Promise<EndedSession | null> {
    const ended = this.#ended.get(sessionId);
    if (!ended) return null;
    if (ended.until <= now) {
      this.#ended.delete(sessionId);
      return null;
    }
    return { appId: ended.appId, uid: ended.uid, reason: ended.reason };
  }

  async listSessions(appId: string, limit: number, afterUid?: string): Promise<SessionRecord[]> {
    const found: SessionRecord[] = [];
    for (const session of this.#sessions.values()) {
      if (session.appId === appId && (afterUid === undefined || session.uid > afterUid)) found.push(session);
    }
    found.sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
    return found.slice(0, Math.max(0, limit));
  }

  /** Sessions plus remembered ends (`MemoryStore.entryCounts`). */
  entryCount(): number {
    return this.#sessions.size + this.#ended.size;
  }

  #remember(session: SessionRecord, reason: SessionEnd, until: number): void {
    // Sessions that ended by logout or timeout need no explanation later.
    if (reason === 'LOGOUT' || reason === 'TIMEOUT') return;
    this.#ended.set(session.sessionId, { appId: session.appId, uid: session.uid, reason, until });
    // Every entry lives equally long, so insertion order is expiry order: drop the oldest.
    if (this.#ended.size > MAX_REMEMBERED_ENDS) {
      const oldest = this.#ended.keys().next();
      if (!oldest.done) this.#ended.delete(oldest.value);
    }
  }
}

const MAX_REMEMBERED_ENDS = 100_000;

