import type { Redis } from 'ioredis';
import type { InvitationPhase } from '@rtm-kit/protocol';
import type { CreateInvitationResult, InvitationPatch, InvitationRecord, InvitationStore } from '../../core/invitations/store.js';
import { INVITATION_INDEX, INVITATION_RECORD, LUA_SEGMENT, type RedisKeys } from './keys.js';
import { defineScripts, LUA_EXTEND_TTL, pairs } from './scripts.js';

/** How long invitations are kept at most, open and finished (each plus slack). */
export interface InvitationLifetimes {
  readonly openMs: number;
  readonly finishedMs: number;
}

/**
 * Call invitations in Redis. An invitation is a hash of its record's fields (a null field is
 * absent); open ones are indexed in sets per session (sent, or answered as callee), per caller
 * session (for the cap) and per callee while PENDING, exactly as the memory store indexes them.
 * Every change is one script: a compare-and-set on the phase that moves the indexes with it.
 *
 * Lifetimes: the core deletes a finished invitation once it has been remembered long enough; the
 * TTLs are a bound for when no node is left to do it. An open invitation expires `openMs` after
 * its last change, a finished one `finishedMs` after it finished. Index entries whose invitation
 * expired are dropped when read.
 */
const COMMON = `
${LUA_SEGMENT}
${LUA_EXTEND_TTL}
local FINAL = { ACCEPTED = true, REFUSED = true, CANCELED = true, FAILED = true }
local base, openTtl, finishedTtl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])

local function index_key(kind, id) return base .. kind .. seg(id) end
local function record_key(callId) return base .. '${INVITATION_RECORD}' .. seg(callId) end

local function load(key)
  local flat = redis.call('HGETALL', key)
  local r = {}
  for i = 1, #flat, 2 do r[flat[i]] = flat[i + 1] end
  return r
end

local function unindex(r)
  redis.call('SREM', index_key('${INVITATION_INDEX.session}', r.callerSessionId), r.callId)
  redis.call('SREM', index_key('${INVITATION_INDEX.caller}', r.callerSessionId), r.callId)
  if r.calleeSessionId then redis.call('SREM', index_key('${INVITATION_INDEX.session}', r.calleeSessionId), r.callId) end
  redis.call('SREM', index_key('${INVITATION_INDEX.pending}', r.calleeUid), r.callId)
end

local function link(key, callId)
  redis.call('SADD', key, callId)
  extend_ttl(key, openTtl)
end

local function index(r)
  if FINAL[r.phase] then return end
  link(index_key('${INVITATION_INDEX.session}', r.callerSessionId), r.callId)
  link(index_key('${INVITATION_INDEX.caller}', r.callerSessionId), r.callId)
  if r.calleeSessionId then link(index_key('${INVITATION_INDEX.session}', r.calleeSessionId), r.callId) end
  if r.phase == 'PENDING' then link(index_key('${INVITATION_INDEX.pending}', r.calleeUid), r.callId) end
end

local function expire(key, r)
  if FINAL[r.phase] then redis.call('PEXPIRE', key, finishedTtl) else redis.call('PEXPIRE', key, openTtl) end
end

-- Call IDs in the index set that still have an invitation (the others are dropped from it).
local function live(set)
  local out = {}
  for _, callId in ipairs(redis.call('SMEMBERS', set)) do
    if redis.call('EXISTS', record_key(callId)) == 1 then out[#out + 1] = callId else redis.call('SREM', set, callId) end
  end
  return out
end
`;

const SCRIPTS = {
  /** KEYS: the invitation. ARGV: base, ttls, maxOpenOfCaller, field pairs... */
  create: {
    keys: 1,
    lua: `${COMMON}
if redis.call('EXISTS', KEYS[1]) == 1 then return 'CALL_ID_IN_USE' end
local r = {}
for i = 5, #ARGV, 2 do r[ARGV[i]] = ARGV[i + 1] end
if #live(index_key('${INVITATION_INDEX.caller}', r.callerSessionId)) >= tonumber(ARGV[4]) then return 'TOO_MANY_OPEN' end
redis.call('HSET', KEYS[1], unpack(ARGV, 5))
expire(KEYS[1], r)
index(r)
return 'OK'
`,
  },
  /** KEYS: the invitation. ARGV: base, ttls, from phases (comma-separated), set count, field pairs..., fields to clear... */
  update: {
    keys: 1,
    lua: `${COMMON}
local r = load(KEYS[1])
if not r.phase then return false end
local allowed = false
for phase in string.gmatch(ARGV[4], '[^,]+') do
  if phase == r.phase then allowed = true end
end
if not allowed then return false end
unindex(r)
local n = tonumber(ARGV[5])
for i = 0, n - 1 do
  local field, value = ARGV[6 + 2 * i], ARGV[7 + 2 * i]
  r[field] = value
  redis.call('HSET', KEYS[1], field, value)
end
for i = 6 + 2 * n, #ARGV do
  r[ARGV[i]] = nil
  redis.call('HDEL', KEYS[1], ARGV[i])
end
index(r)
expire(KEYS[1], r)
return redis.call('HGETALL', KEYS[1])
`,
  },
  /** KEYS: the invitation. ARGV: base, ttls. */
  delete: {
    keys: 1,
    lua: `${COMMON}
local r = load(KEYS[1])
if not r.phase then return 0 end
unindex(r)
redis.call('DEL', KEYS[1])
return 1
`,
  },
  /** KEYS: an index set. ARGV: base, ttls. Returns each live invitation's fields. */
  list: {
    keys: 1,
    lua: `${COMMON}
local out = {}
for _, callId in ipairs(live(KEYS[1])) do out[#out + 1] = redis.call('HGETALL', record_key(callId)) end
return out
`,
  },
} as const;

const NULLABLE = ['calleeSessionId', 'deliveredTo', 'callerReason', 'calleeReason', 'endedAt'] as const;

export class RedisInvitationStore implements InvitationStore {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  readonly #ttls: [number, number];
  readonly #scripts;

  constructor(redis: Redis, keys: RedisKeys, lifetimes: InvitationLifetimes) {
    this.#redis = redis;
    this.#keys = keys;
    this.#ttls = [lifetimes.openMs, lifetimes.finishedMs];
    this.#scripts = defineScripts(redis, 'invitation', SCRIPTS);
  }

  async createInvitation(record: InvitationRecord, maxOpenOfCaller: number): Promise<CreateInvitationResult> {
    const cap = Number.isFinite(maxOpenOfCaller) ? maxOpenOfCaller : Number.MAX_SAFE_INTEGER;
    const fields = Object.entries(record).flatMap(([field, value]) => (value === null ? [] : [field, String(value)]));
    const reply = await this.#scripts.create([this.#keys.invitation(record.appId, record.callId)], [...this.#common(record.appId), cap, ...fields]);
    if (reply === 'OK') return { ok: true };
    return { ok: false, reason: reply === 'CALL_ID_IN_USE' ? 'CALL_ID_IN_USE' : 'TOO_MANY_OPEN' };
  }

  async getInvitation(appId: string, callId: string): Promise<InvitationRecord | null> {
    return toRecord(await this.#redis.hgetall(this.#keys.invitation(appId, callId)));
  }

  async updateInvitation(appId: string, callId: string, from: readonly InvitationPhase[], patch: InvitationPatch): Promise<InvitationRecord | null> {
    const set: string[] = [];
    const clear: string[] = [];
    for (const [field, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (value === null) clear.push(field);
      else set.push(field, String(value));
    }
    const reply = await this.#scripts.update(
      [this.#keys.invitation(appId, callId)],
      [...this.#common(appId), from.join(','), set.length / 2, ...set, ...clear],
    );
    return reply === null ? null : toRecord(pairs(reply));
  }

  async invitationsOfSession(appId: string, sessionId: string): Promise<InvitationRecord[]> {
    return this.#list(appId, this.#keys.invitationIndex(appId, 'session', sessionId));
  }

  async pendingInvitationsTo(appId: string, calleeUid: string): Promise<InvitationRecord[]> {
    return this.#list(appId, this.#keys.invitationIndex(appId, 'pending', calleeUid));
  }

  async deleteInvitation(appId: string, callId: string): Promise<void> {
    await this.#scripts.delete([this.#keys.invitation(appId, callId)], this.#common(appId));
  }

  async #list(appId: string, index: string): Promise<InvitationRecord[]> {
    const reply = (await this.#scripts.list([index], this.#common(appId))) as unknown[];
    return reply.flatMap((fields) => toRecord(pairs(fields)) ?? []);
  }

  #common(appId: string): [string, number, number] {
    return [this.#keys.app(appId), ...this.#ttls];
  }
}

function toRecord(f: Record<string, string>): InvitationRecord | null {
  if (f['phase'] === undefined) return null;
  const record: Record<string, unknown> = { ...f, sentAt: Number(f['sentAt']) };
  for (const field of NULLABLE) record[field] = f[field] ?? null;
  if (f['endedAt'] !== undefined) record['endedAt'] = Number(f['endedAt']);
  return record as unknown as InvitationRecord;
}
