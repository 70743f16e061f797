import { MEDIA_PART } from './keys.js';
import { LUA_EXTEND_TTL, LUA_NUM, type ScriptSource } from './scripts.js';

/**
 * The scripts of `RedisMediaStorage`. Layout, per app (`keys.ts`):
 * - `media:upload:<id>` hash (uid, size, received, startedAt, touchedAt, live) and
 *   `media:upload-bytes:<id>` the bytes received; `media:staging:<id>.<token>` a chunk arriving;
 * - `media:record:<id>` hash (the `StoredMedia`) and `media:bytes:<id>` its bytes;
 * - `media:holdings` sorted set: every upload and file that counts against the quotas, by when it
 *   lapses (an upload untouched for the abandon bound, a file at its expiry), and `media:held`
 *   hash: holding ID → `<u|m>:<size>:<uid>`;
 * - `media:user-bytes` hash uid → bytes, `media:app-bytes` the app's bytes.
 *
 * The tallies change only together with an HDEL or HSET of `media:held`, so a holding's bytes
 * are released exactly once, whichever node deletes it and however often. Holdings whose time
 * passed (by the core's clock) are swept first by every upload start, before the quota check, so
 * the tallies never count what no longer exists even when no node ran its sweep; key TTLs only
 * reclaim memory.
 *
 * Common ARGV of scripts that sweep: ARGV[1] the app's media base (`keys.mediaBase`).
 */

const LUA_HOLDINGS = `
local P = { record = '${MEDIA_PART.record}', bytes = '${MEDIA_PART.bytes}', upload = '${MEDIA_PART.upload}', upload_bytes = '${MEDIA_PART.uploadBytes}' }

-- Forget a holding and give its bytes back; its kind ('u' or 'm'), or nil when it was not held.
local function release(held, user_bytes, app_bytes, id)
  local v = redis.call('HGET', held, id)
  if not v then return nil end
  redis.call('HDEL', held, id)
  local kind, size, uid = string.match(v, '^(%a):(%d+):(.*)$')
  size = tonumber(size)
  if redis.call('HINCRBY', user_bytes, uid, -size) <= 0 then redis.call('HDEL', user_bytes, uid) end
  if redis.call('DECRBY', app_bytes, size) <= 0 then redis.call('DEL', app_bytes) end
  return kind
end

local function hold(held, holdings, user_bytes, app_bytes, id, kind, size, uid, lapses)
  redis.call('HSET', held, id, kind .. ':' .. size .. ':' .. uid)
  redis.call('ZADD', holdings, lapses, id)
  redis.call('HINCRBY', user_bytes, uid, size)
  redis.call('INCRBY', app_bytes, size)
end

-- The bookkeeping keys live as long as the longest holding they count, plus slack.
local function keep(keys, ms)
  for _, key in ipairs(keys) do extend_ttl(key, ms) end
end

-- Delete up to limit holdings that lapsed at or before now, with their keys.
local function sweep(base, holdings, held, user_bytes, app_bytes, now, limit)
  local ids = redis.call('ZRANGEBYSCORE', holdings, '-inf', now, 'LIMIT', 0, limit)
  for _, id in ipairs(ids) do
    redis.call('ZREM', holdings, id)
    local kind = release(held, user_bytes, app_bytes, id)
    if kind == 'm' then redis.call('DEL', base .. P.record .. id, base .. P.bytes .. id)
    elseif kind == 'u' then redis.call('DEL', base .. P.upload .. id, base .. P.upload_bytes .. id) end
  end
end
`;

const PRELUDE = LUA_EXTEND_TTL + LUA_NUM + LUA_HOLDINGS;

/**
 * KEYS: holdings, held, user-bytes, app-bytes, upload.
 * ARGV: base, now, sweep limit, uploadId, uid, size, max user bytes (-1: none), max app bytes,
 * abandon ms, slack ms.
 * Returns 'ok', 'user' or 'app' (over that quota), or an error when the upload exists.
 */
const BEGIN = `${PRELUDE}
local holdings, held, user_bytes, app_bytes, upload = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local base, now, limit, id, uid = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], ARGV[5]
local size, max_user, max_app, abandon, slack = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
sweep(base, holdings, held, user_bytes, app_bytes, now, limit)
if redis.call('EXISTS', upload) == 1 or redis.call('HEXISTS', held, id) == 1 then return redis.error_reply('upload exists') end
if max_user >= 0 then
  if num(redis.call('HGET', user_bytes, uid), 0) + size > max_user then return 'user' end
  if num(redis.call('GET', app_bytes), 0) + size > max_app then return 'app' end
end
redis.call('HSET', upload, 'uid', uid, 'size', size, 'received', 0, 'startedAt', now, 'touchedAt', now)
redis.call('PEXPIRE', upload, abandon + slack)
hold(held, holdings, user_bytes, app_bytes, id, 'u', size, uid, now + abandon)
keep({ holdings, held, user_bytes, app_bytes }, abandon + slack)
return 'ok'
`;

/**
 * KEYS: upload, upload bytes, staging, holdings, held, user-bytes, app-bytes.
 * ARGV: uploadId, offset, at, abandon ms, slack ms.
 * Moves the staged chunk onto the upload's bytes if they end exactly at `offset`; the new
 * `received`, or an error (nothing changed, the staged chunk deleted).
 */
const COMMIT = `${PRELUDE}
local upload, data, staging, holdings, held, user_bytes, app_bytes = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local id, offset, at, abandon, slack = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local function refuse(why)
  redis.call('DEL', staging)
  return redis.error_reply(why)
end
if redis.call('EXISTS', upload) == 0 then return refuse('no such upload') end
local received, size = num(redis.call('HGET', upload, 'received'), 0), num(redis.call('HGET', upload, 'size'), 0)
if received ~= offset or redis.call('STRLEN', data) ~= offset then return refuse('the upload is at ' .. received .. ', not ' .. offset) end
if offset + redis.call('STRLEN', staging) > size then return refuse('the chunk runs past the upload size') end
if redis.call('EXISTS', staging) == 1 then
  redis.call('APPEND', data, redis.call('GET', staging))
  redis.call('DEL', staging)
end
received = redis.call('STRLEN', data)
redis.call('HSET', upload, 'received', received, 'touchedAt', at)
redis.call('HDEL', upload, 'live')
redis.call('PEXPIRE', upload, abandon + slack)
if received > 0 then redis.call('PEXPIRE', data, abandon + slack) end
redis.call('ZADD', holdings, 'XX', at + abandon, id)
keep({ holdings, held, user_bytes, app_bytes }, abandon + slack)
return received
`;

/**
 * KEYS: upload, upload bytes, record, media bytes, holdings, held, user-bytes, app-bytes.
 * ARGV: uploadId, mediaId, uploaderUid, size, contentType, createdAt, expiresAt, slack ms.
 */
const COMPLETE = `${PRELUDE}
local upload, data, record, bytes, holdings, held, user_bytes, app_bytes = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local upload_id, media_id, uid, size, content_type = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
local created, expires, slack = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
if redis.call('EXISTS', upload) == 0 then return redis.error_reply('no such upload') end
release(held, user_bytes, app_bytes, upload_id)
redis.call('ZREM', holdings, upload_id)
if redis.call('EXISTS', data) == 1 then redis.call('RENAME', data, bytes) else redis.call('SET', bytes, '') end
redis.call('DEL', upload)
redis.call('HSET', record, 'uploaderUid', uid, 'size', size, 'contentType', content_type, 'createdAt', created, 'expiresAt', expires)
local ttl = math.max(1, expires - created) + slack
redis.call('PEXPIRE', record, ttl)
redis.call('PEXPIRE', bytes, ttl)
hold(held, holdings, user_bytes, app_bytes, media_id, 'm', size, uid, expires)
keep({ holdings, held, user_bytes, app_bytes }, ttl)
return 1
`;

/**
 * KEYS: the record (or upload), its bytes, holdings, held, user-bytes, app-bytes. ARGV: the ID.
 * Deletes a file or an upload; 1 when its record was there. Its bytes are released only if still
 * held, so two nodes deleting it at once release them once.
 */
const FORGET = `${PRELUDE}
local record, bytes, holdings, held, user_bytes, app_bytes = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local existed = redis.call('DEL', record)
redis.call('DEL', bytes)
redis.call('ZREM', holdings, ARGV[1])
release(held, user_bytes, app_bytes, ARGV[1])
return existed
`;

/** KEYS: holdings, held, user-bytes, app-bytes. ARGV: base, now, limit. */
const SWEEP = `${PRELUDE}
sweep(ARGV[1], KEYS[1], KEYS[2], KEYS[3], KEYS[4], tonumber(ARGV[2]), tonumber(ARGV[3]))
return 1
`;

/** KEYS: upload. ARGV: when bytes last arrived. Marks a chunk still streaming in, if the upload is there. */
const LIVE = `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'live', ARGV[1]) end
return 1
`;

export const MEDIA_SCRIPTS: Record<'begin' | 'commit' | 'complete' | 'forget' | 'sweep' | 'live', ScriptSource> = {
  begin: { keys: 5, lua: BEGIN },
  commit: { keys: 7, lua: COMMIT },
  complete: { keys: 8, lua: COMPLETE },
  forget: { keys: 6, lua: FORGET },
  sweep: { keys: 4, lua: SWEEP },
  live: { keys: 1, lua: LIVE },
};
