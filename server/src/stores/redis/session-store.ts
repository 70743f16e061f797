import type { Redis } from 'ioredis';
import { DEFAULT_TIMING } from '@rtm-kit/protocol';
import type { EndConditions, EndedSession, SessionEnd, SessionRecord, SessionStore } from '../../core/store.js';
import { LUA_SEGMENT, SESSION_RECORD, type RedisKeys } from './keys.js';
import { defineScripts, pairs, TTL_SLACK_MS } from './scripts.js';

/**
 * A session is a hash (`session:<uid>`) of the record's fields, with `rememberMs`: how long the
 * core asked to remember a session's end when it claimed this one, which is how long its own end
 * is remembered (`endSession` is given the deadline, not the time now). The app's uids with a
 * session are a sorted set (`sessions`) for `listSessions`, changed in the same scripts.
 *
 * Remembered ends live under the session ID alone (`getEndedSession` has no app), outside the
 * app's slot, so they are written right after the script that ended the session, with a TTL.
 * Between the two steps a reconnect with that session ID learns only that the session is gone,
 * not why.
 */
const SCRIPTS = {
  /** KEYS: the session, the app's session index. ARGV: uid, field pairs... */
  claim: {
    keys: 2,
    lua: `
local old = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('ZADD', KEYS[2], 0, ARGV[1])
return old
`,
  },
  attach: {
    keys: 1,
    lua: `
if redis.call('HGET', KEYS[1], 'sessionId') ~= ARGV[1] then return false end
redis.call('HINCRBY', KEYS[1], 'epoch', 1)
redis.call('HSET', KEYS[1], 'connected', '1', 'disconnectedAt', '')
return redis.call('HGETALL', KEYS[1])
`,
  },
  detach: {
    keys: 1,
    lua: `
local s = redis.call('HMGET', KEYS[1], 'sessionId', 'epoch', 'connected')
if s[1] ~= ARGV[1] or s[2] ~= ARGV[2] or s[3] ~= '1' then return false end
redis.call('HSET', KEYS[1], 'connected', '0', 'disconnectedAt', ARGV[3])
return redis.call('HGETALL', KEYS[1])
`,
  },
  setTokenExpiry: {
    keys: 1,
    lua: `
if redis.call('HGET', KEYS[1], 'sessionId') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'tokenExpiresAt', ARGV[2])
return 1
`,
  },
  /** KEYS: the session, the app's session index. ARGV: sessionId, epoch, disconnected, tokenExpiredBy, uid. */
  end: {
    keys: 2,
    lua: `
local s = redis.call('HMGET', KEYS[1], 'sessionId', 'epoch', 'connected', 'tokenExpiresAt')
if s[1] ~= ARGV[1] then return false end
if ARGV[2] ~= '' and s[2] ~= ARGV[2] then return false end
if ARGV[3] == '1' and s[3] == '1' then return false end
if ARGV[4] ~= '' then
  if not s[4] or s[4] == '' or tonumber(s[4]) > tonumber(ARGV[4]) then return false end
end
local all = redis.call('HGETALL', KEYS[1])
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[5])
return all
`,
  },
  /** KEYS: the app's session index. ARGV: app key base, lowest uid (ZRANGEBYLEX), limit. */
  list: {
    keys: 1,
    lua: `${LUA_SEGMENT}
local out = {}
for _, uid in ipairs(redis.call('ZRANGEBYLEX', KEYS[1], ARGV[2], '+', 'LIMIT', 0, tonumber(ARGV[3]))) do
  local fields = redis.call('HGETALL', ARGV[1] .. '${SESSION_RECORD}' .. seg(uid))
  if #fields > 0 then out[#out + 1] = fields else redis.call('ZREM', KEYS[1], uid) end
end
return out
`,
  },
} as const;

interface Ended extends EndedSession {
  readonly until: number;
}

export class RedisSessionStore implements SessionStore {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  readonly #scripts;

  constructor(redis: Redis, keys: RedisKeys) {
    this.#redis = redis;
    this.#keys = keys;
    this.#scripts = defineScripts(redis, 'session', SCRIPTS);
  }

  async claimSession(record: SessionRecord, rememberUntil: number): Promise<SessionRecord | null> {
    const rememberMs = Math.max(0, rememberUntil - record.startedAt);
    const fields = [...toFields(record), 'rememberMs', String(rememberMs)];
    const keys = [this.#keys.session(record.appId, record.uid), this.#keys.sessionIndex(record.appId)];
    const old = fromFields(pairs(await this.#scripts.claim(keys, [record.uid, ...fields])));
    if (old) await this.#remember(old, 'REMOTE_LOGIN', rememberUntil, rememberMs);
    return old?.record ?? null;
  }

  async getSession(appId: string, uid: string): Promise<SessionRecord | null> {
    return fromFields(await this.#redis.hgetall(this.#keys.session(appId, uid)))?.record ?? null;
  }

  async attachSession(appId: string, uid: string, sessionId: string): Promise<SessionRecord | null> {
    return fromFields(pairs(await this.#scripts.attach([this.#keys.session(appId, uid)], [sessionId])))?.record ?? null;
  }

  async detachSession(appId: string, uid: string, sessionId: string, epoch: number, at: number): Promise<SessionRecord | null> {
    const reply = await this.#scripts.detach([this.#keys.session(appId, uid)], [sessionId, String(epoch), String(at)]);
    return fromFields(pairs(reply))?.record ?? null;
  }

  async setTokenExpiry(appId: string, uid: string, sessionId: string, tokenExpiresAt: number | null): Promise<boolean> {
    const reply = await this.#scripts.setTokenExpiry([this.#keys.session(appId, uid)], [sessionId, nullable(tokenExpiresAt)]);
    return reply === 1;
  }

  async endSession(
    appId: string,
    uid: string,
    sessionId: string,
    reason: SessionEnd,
    conditions: EndConditions,
    rememberUntil: number,
  ): Promise<SessionRecord | null> {
    const reply = await this.#scripts.end(
      [this.#keys.session(appId, uid), this.#keys.sessionIndex(appId)],
      [
        sessionId,
        conditions.epoch === undefined ? '' : String(conditions.epoch),
        conditions.disconnected ? '1' : '',
        conditions.tokenExpiredBy === undefined ? '' : String(conditions.tokenExpiredBy),
        uid,
      ],
    );
    const ended = fromFields(pairs(reply));
    if (!ended) return null;
    await this.#remember(ended, reason, rememberUntil, ended.rememberMs ?? DEFAULT_TIMING.endedSessionMemoryMs);
    return ended.record;
  }

  async getEndedSession(sessionId: string, now: number): Promise<EndedSession | null> {
    const text = await this.#redis.get(this.#keys.endedSession(sessionId));
    if (text === null) return null;
    const ended = JSON.parse(text) as Ended;
    if (ended.until <= now) return null;
    return { appId: ended.appId, uid: ended.uid, reason: ended.reason };
  }

  async listSessions(appId: string, limit: number, afterUid?: string): Promise<SessionRecord[]> {
    if (limit <= 0) return [];
    // uids are ASCII (§10.1), so Redis's byte order is the UTF-16 order the interface asks for.
    const from = afterUid === undefined ? '-' : `(${afterUid}`;
    const reply = (await this.#scripts.list([this.#keys.sessionIndex(appId)], [this.#keys.app(appId), from, limit])) as unknown[];
    return reply.flatMap((fields) => fromFields(pairs(fields))?.record ?? []);
  }

  async #remember(ended: { record: SessionRecord }, reason: SessionEnd, until: number, ttlMs: number): Promise<void> {
    // Sessions that ended by logout or timeout need no explanation later.
    if (reason === 'LOGOUT' || reason === 'TIMEOUT') return;
    const { sessionId, appId, uid } = ended.record;
    const value: Ended = { appId, uid, reason, until };
    await this.#redis.set(this.#keys.endedSession(sessionId), JSON.stringify(value), 'PX', Math.max(1, ttlMs) + TTL_SLACK_MS);
  }
}

function nullable(value: number | null): string {
  return value === null ? '' : String(value);
}

function toFields(record: SessionRecord): string[] {
  return [
    'sessionId', record.sessionId,
    'appId', record.appId,
    'uid', record.uid,
    'startedAt', String(record.startedAt),
    'epoch', String(record.epoch),
    'connected', record.connected ? '1' : '0',
    'disconnectedAt', nullable(record.disconnectedAt),
    'tokenExpiresAt', nullable(record.tokenExpiresAt),
    'resumeSecret', record.resumeSecret,
  ]; // prettier-ignore
}

function fromFields(f: Record<string, string>): { record: SessionRecord; rememberMs: number | null } | null {
  if (f['sessionId'] === undefined) return null;
  const num = (v: string | undefined) => (v === undefined || v === '' ? null : Number(v));
  return {
    record: {
      sessionId: f['sessionId'],
      appId: f['appId'] ?? '',
      uid: f['uid'] ?? '',
      startedAt: Number(f['startedAt']),
      epoch: Number(f['epoch']),
      connected: f['connected'] === '1',
      disconnectedAt: num(f['disconnectedAt']),
      tokenExpiresAt: num(f['tokenExpiresAt']),
      resumeSecret: f['resumeSecret'] ?? '',
    },
    rememberMs: num(f['rememberMs']),
  };
}
