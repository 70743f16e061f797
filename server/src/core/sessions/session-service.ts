import {
  isValidAppId,
  isValidUserId,
  type AuthPayload,
  type ConnectErrorData,
  type SessionEndReason,
  errorCodeOf,
} from '@rtm-kit/protocol';
import type { AppRegistry, LoginErrorName, TokenVerifier } from '../auth.js';
import { CoreError } from '../errors.js';
import { RateLimiter, rateLimitMessage } from '../rate-limits.js';
import type { SessionEnd, SessionRecord, SessionStore } from './store.js';
import type { SessionLifecycleListener } from './lifecycle.js';
import { randomToken, sameSecret } from '../secrets.js';
import type { ServiceContext } from '../context.js';
import type { MaybePromise } from '../maybe-async.js';
import { deadlineKey, parseDeadlineKey } from '../scheduler.js';

export interface SessionServiceDeps extends ServiceContext {
  readonly store: SessionStore;
  readonly apps: AppRegistry;
  readonly tokens: TokenVerifier;
  readonly newId: () => string;
}

/** A check a fresh login must pass (`addLoginCheck`); null lets it through. */
export type LoginCheck = (appId: string, uid: string) => Promise<{ readonly name: LoginErrorName; readonly message: string } | null>;

export type OpenResult =
  | { readonly ok: true; readonly session: SessionRecord; readonly resumed: boolean }
  | { readonly ok: false; readonly error: ConnectErrorData };

/** The deadlines of a session, each keyed by `deadlineKey(appId, uid, sessionId)`. */
const GRACE = 'session.grace';
const TOKEN_WILL_EXPIRE = 'session.tokenWillExpire';
const TOKEN_EXPIRE = 'session.tokenExpire';

/**
 * Sessions: login and resume, logout, token renewal and expiry, remote login, and the grace
 * period of a dropped connection (spec §2.1, §9.1). One session per (app, uid); the store holds
 * it and the scheduler its deadlines, so any node can end a session whose node is gone.
 */
export class SessionService {
  readonly #d: SessionServiceDeps;
  readonly #listeners: SessionLifecycleListener[] = [];
  readonly #loginChecks: LoginCheck[] = [];
  readonly #loginRate: RateLimiter;
  readonly #renewRate: RateLimiter;

  constructor(deps: SessionServiceDeps) {
    this.#d = deps;
    this.#loginRate = new RateLimiter(deps.rateLimits, 'login', deps.limits.loginRate);
    this.#renewRate = new RateLimiter(deps.rateLimits, 'renewToken', deps.limits.renewTokenRate);
    deps.scheduler.handle(GRACE, (key, dueAt) => this.#graceOver(key, dueAt));
    deps.scheduler.handle(TOKEN_WILL_EXPIRE, (key, dueAt) => this.#tokenWillExpire(key, dueAt));
    deps.scheduler.handle(TOKEN_EXPIRE, (key, dueAt) => this.#tokenExpired(key, dueAt));
  }

  addListener(listener: SessionLifecycleListener): void {
    this.#listeners.push(listener);
  }

  /**
   * Ask `check` before every fresh login (not a resume of a live session): a refusal it returns
   * is the login's answer. An operator's ban list is one.
   */
  addLoginCheck(check: LoginCheck): void {
    this.#loginChecks.push(check);
  }

  /** The current session of a user, if any. */
  get(appId: string, uid: string): Promise<SessionRecord | null> {
    const current = this.#d.store.getSession(appId, uid);
    return current instanceof Promise ? current : Promise.resolve(current);
  }

  /**
   * `get` for the paths every request and message takes: the record at once when the store has
   * it in this process, else its promise.
   */
  lookup(appId: string, uid: string): MaybePromise<SessionRecord | null> {
    return this.#d.store.getSession(appId, uid);
  }

  /** Current sessions of an app by uid, a page of at most `limit` after `afterUid` (operators). */
  list(appId: string, limit: number, afterUid?: string): Promise<SessionRecord[]> {
    return this.#d.store.listSessions(appId, limit, afterUid);
  }

  /**
   * A connection asks to log in, or to resume the session named in `auth.sessionId`. A resume
   * of a session that is gone quietly becomes a fresh login, unless the session was ended by the
   * server for a reason the client must hear (remote login, expired token, ban). A resume of the
   * user's live session without its `resumeSecret` is refused (LOGIN_ERR_NOT_AUTHORIZED) and
   * leaves the session as it was.
   */
  async open(auth: AuthPayload): Promise<OpenResult> {
    const { appId, uid } = auth;
    if (!isValidAppId(appId)) return refuse('LOGIN_ERR_INVALID_APP_ID', 'The App ID must be 32 letters or digits.');
    const app = this.#d.apps.find(appId);
    if (!app) return refuse('LOGIN_ERR_INVALID_APP_ID', 'This App ID is not configured on the server.');
    if (!isValidUserId(uid, this.#d.limits.idMaxLength)) {
      return refuse('LOGIN_ERR_INVALID_ARGUMENT', 'The uid is not a valid user ID.');
    }

    if (auth.sessionId !== null) {
      const resumed = await this.#resume(appId, uid, auth.sessionId, auth.resumeSecret);
      if (resumed) return resumed;
    }
    for (const check of this.#loginChecks) {
      const refusal = await check(appId, uid);
      if (refusal) return refuse(refusal.name, refusal.message);
    }

    const now = this.#d.clock.now();
    let tokenExpiresAt: number | null = null;
    // A token equal to the App ID means "no token", as in the Web SDK (§2.1).
    const token = auth.token === appId ? null : auth.token;
    if (app.appCertificate !== undefined) {
      if (token === null || token === '') return refuse('LOGIN_ERR_INVALID_TOKEN', 'This app requires a token.');
      if (token.length > this.#d.limits.tokenMaxLength) return refuse('LOGIN_ERR_INVALID_TOKEN', 'The token is too long.');
      const check = this.#d.tokens.verify(app, uid, token, now);
      if (!check.ok) {
        return refuse(check.reason === 'expired' ? 'LOGIN_ERR_TOKEN_EXPIRED' : 'LOGIN_ERR_INVALID_TOKEN', check.message);
      }
      tokenExpiresAt = check.expiresAt;
    }

    if (!(await this.#loginRate.tryTake(`${appId}:${uid}`, now))) {
      return refuse('LOGIN_ERR_TOO_OFTEN', rateLimitMessage('Logging in as one user', this.#d.limits.loginRate, 'times'));
    }

    const session: SessionRecord = {
      sessionId: this.#d.newId(),
      appId,
      uid,
      startedAt: now,
      epoch: 1,
      connected: true,
      disconnectedAt: null,
      tokenExpiresAt,
      resumeSecret: randomToken(),
    };
    const displaced = await this.#d.store.claimSession(session, this.#rememberUntil());
    if (displaced) await this.#afterEnd(displaced, 'REMOTE_LOGIN');
    // A new session has no deadlines yet: only a token gives it some.
    if (session.tokenExpiresAt !== null) await this.#scheduleToken(session);
    await this.#notify('started', session);
    return { ok: true, session, resumed: false };
  }

  async #resume(appId: string, uid: string, sessionId: string, secret: string | null | undefined): Promise<OpenResult | null> {
    const current = await this.#d.store.getSession(appId, uid);
    if (current?.sessionId === sessionId) {
      // Checked before attaching: a refused attempt must not bump the epoch (which would cut off
      // the session's own connection) nor cancel its grace period.
      if (!sameSecret(secret, current.resumeSecret)) {
        return refuse('LOGIN_ERR_NOT_AUTHORIZED', 'Resuming this session needs the resume secret it was issued.');
      }
      const attached = await this.#d.store.attachSession(appId, uid, sessionId);
      if (attached) {
        // Its token deadlines stand in the scheduler whichever node set them; only the grace ends.
        await this.#d.scheduler.cancel(GRACE, keyOf(attached));
        await this.#notify('resumed', attached);
        return { ok: true, session: attached, resumed: true };
      }
    }
    const ended = await this.#d.store.getEndedSession(sessionId, this.#d.clock.now());
    if (ended && ended.appId === appId && ended.uid === uid && ended.reason !== 'LOGOUT' && ended.reason !== 'TIMEOUT') {
      return {
        ok: false,
        error: { code: 0, name: 'SESSION_ENDED', message: `The session was ended: ${ended.reason}.`, ended: ended.reason },
      };
    }
    return null;
  }

  /** The session's connection dropped without a logout: keep it for the grace period. */
  async connectionLost(session: SessionRecord): Promise<void> {
    const { appId, uid, sessionId, epoch } = session;
    const detached = await this.#d.store.detachSession(appId, uid, sessionId, epoch, this.#d.clock.now());
    if (!detached) return; // logged out, kicked, or already picked up by a newer connection
    await this.#d.scheduler.schedule(GRACE, keyOf(detached), (detached.disconnectedAt ?? this.#d.clock.now()) + this.#d.timing.presenceGraceMs);
    await this.#notify('interrupted', detached);
  }

  async logout(session: SessionRecord): Promise<void> {
    const ended = await this.#end(session, 'LOGOUT', {});
    if (!ended) throw new CoreError('LOGOUT_ERR_USER_NOT_LOGGED_IN', 'This session has already ended.');
  }

  async renewToken(session: SessionRecord, token: string): Promise<{ tokenExpiresAt: number | null }> {
    const { appId, uid, sessionId } = session;
    if (token === '') throw new CoreError('RENEW_TOKEN_ERR_INVALID_ARGUMENT', 'The token must be a non-empty string.');
    const now = this.#d.clock.now();
    await this.#renewRate.take(sessionId, now, 'RENEW_TOKEN_ERR_TOO_OFTEN', 'renewToken');
    const app = this.#d.apps.find(appId);
    let tokenExpiresAt: number | null = null;
    if (app?.appCertificate !== undefined && token !== appId) {
      if (token.length > this.#d.limits.tokenMaxLength) throw new CoreError('RENEW_TOKEN_ERR_INVALID_TOKEN', 'The token is too long.');
      const check = this.#d.tokens.verify(app, uid, token, now);
      if (!check.ok) {
        throw new CoreError(
          check.reason === 'expired' ? 'RENEW_TOKEN_ERR_TOKEN_EXPIRED' : 'RENEW_TOKEN_ERR_INVALID_TOKEN',
          check.message,
        );
      }
      tokenExpiresAt = check.expiresAt;
    } else if (app?.appCertificate !== undefined) {
      throw new CoreError('RENEW_TOKEN_ERR_INVALID_TOKEN', 'This app requires a token.');
    }
    const moved = await this.#d.store.setTokenExpiry(appId, uid, sessionId, tokenExpiresAt);
    if (!moved) throw new CoreError('RENEW_TOKEN_ERR_USER_NOT_LOGGED_IN', 'This session has ended.');
    await this.#scheduleToken({ ...session, tokenExpiresAt });
    return { tokenExpiresAt };
  }

  /** End a user's session from outside (an operator's ban). */
  async ban(appId: string, uid: string): Promise<boolean> {
    const session = await this.#d.store.getSession(appId, uid);
    if (!session) return false;
    return (await this.#end(session, 'BANNED_BY_SERVER', {})) !== null;
  }

  async #scheduleToken(session: SessionRecord): Promise<void> {
    const key = keyOf(session);
    const expiresAt = session.tokenExpiresAt;
    if (expiresAt === null) {
      await Promise.all([this.#d.scheduler.cancel(TOKEN_WILL_EXPIRE, key), this.#d.scheduler.cancel(TOKEN_EXPIRE, key)]);
      return;
    }
    const warnAt = Math.max(this.#d.clock.now(), expiresAt - this.#d.timing.tokenWillExpireMs);
    await Promise.all([
      this.#d.scheduler.schedule(TOKEN_WILL_EXPIRE, key, warnAt),
      this.#d.scheduler.schedule(TOKEN_EXPIRE, key, expiresAt),
    ]);
  }

  /** The grace period of a dropped connection is over: end the session if it is still away. */
  async #graceOver(key: string, dueAt: number): Promise<void> {
    const session = await this.#sessionOf(key);
    if (!session || session.connected || session.disconnectedAt === null) return;
    // A later drop moved the deadline; this one is for an earlier absence.
    if (session.disconnectedAt + this.#d.timing.presenceGraceMs > dueAt) return;
    await this.#end(session, 'TIMEOUT', { epoch: session.epoch, disconnected: true });
  }

  async #tokenWillExpire(key: string, dueAt: number): Promise<void> {
    const session = await this.#sessionOf(key);
    const expiresAt = session?.tokenExpiresAt ?? null;
    // A renewed token has a later deadline, with a warning of its own.
    if (!session || expiresAt === null || expiresAt - this.#d.timing.tokenWillExpireMs > dueAt) return;
    this.#d.router.toSession(session.sessionId, 'session:tokenWillExpire', { tokenExpiresAt: expiresAt });
  }

  async #tokenExpired(key: string, dueAt: number): Promise<void> {
    const session = await this.#sessionOf(key);
    // The store compares with the deadline, not the time the handler runs.
    if (session) await this.#end(session, 'TOKEN_EXPIRED', { tokenExpiredBy: dueAt });
  }

  /** The user's current session, if it is still the one a deadline was set for. */
  async #sessionOf(key: string): Promise<SessionRecord | null> {
    const [appId, uid, sessionId] = parseDeadlineKey(key);
    if (appId === undefined || uid === undefined || sessionId === undefined) return null;
    const session = await this.#d.store.getSession(appId, uid);
    return session?.sessionId === sessionId ? session : null;
  }

  async #end(session: SessionRecord, reason: SessionEnd, conditions: Parameters<SessionStore['endSession']>[4]) {
    try {
      const ended = await this.#d.store.endSession(
        session.appId,
        session.uid,
        session.sessionId,
        reason,
        conditions,
        this.#rememberUntil(),
      );
      if (ended) await this.#afterEnd(ended, reason);
      return ended;
    } catch (error) {
      this.#d.log('error', `ending session of ${session.uid} failed`, error);
      return null;
    }
  }

  async #afterEnd(session: SessionRecord, reason: SessionEnd): Promise<void> {
    const key = keyOf(session);
    await Promise.all([GRACE, TOKEN_WILL_EXPIRE, TOKEN_EXPIRE].map((kind) => this.#d.scheduler.cancel(kind, key)));
    const told = toClientReason(reason);
    if (told) this.#d.router.closeSession(session.sessionId, told);
    await this.#notify('ended', session, reason);
  }

  #rememberUntil(): number {
    return this.#d.clock.now() + this.#d.timing.endedSessionMemoryMs;
  }

  async #notify<K extends keyof SessionLifecycleListener>(
    hook: K,
    ...args: Parameters<NonNullable<SessionLifecycleListener[K]>>
  ): Promise<void> {
    for (const listener of this.#listeners) {
      const fn = listener[hook] as ((...a: typeof args) => void | Promise<void>) | undefined;
      if (!fn) continue;
      try {
        await fn.apply(listener, args);
      } catch (error) {
        this.#d.log('error', `session ${hook} listener failed`, error);
      }
    }
  }
}

function keyOf(session: Pick<SessionRecord, 'appId' | 'uid' | 'sessionId'>): string {
  return deadlineKey(session.appId, session.uid, session.sessionId);
}

function refuse(name: LoginErrorName, message: string): OpenResult {
  return { ok: false, error: { code: errorCodeOf(name), name, message } };
}

/** Ends the client must be told about; a logout or a grace timeout has nobody left to tell. */
function toClientReason(reason: SessionEnd): SessionEndReason | null {
  switch (reason) {
    case 'REMOTE_LOGIN':
    case 'TOKEN_EXPIRED':
    case 'BANNED_BY_SERVER':
      return reason;
    case 'LOGOUT':
    case 'TIMEOUT':
      return null;
    default: {
      const unreachable: never = reason;
      return unreachable;
    }
  }
}
