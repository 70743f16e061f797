import { MAILBOX_SUFFIX } from './keys.js';
import { LUA_EXTEND_TTL, type ScriptSource } from './scripts.js';

/**
 * The scripts of `RedisPeerStore`. Every one takes the app's four mailbox-wide keys:
 *   KEYS[1] mailboxes: receiver → when its mailbox expires (the newest expiry of its messages)
 *   KEYS[2] sender bytes: sender → offline bytes held
 *   KEYS[3] app bytes: offline bytes held in the app
 *   KEYS[4] mailbox bytes: receiver → JSON { sender: offline bytes } of that mailbox
 * and ARGV[1] the app's mailbox key base, ARGV[2] now, ARGV[3] TTL slack, ARGV[4] the receiver's
 * key segment; a mailbox's own keys (same slot) are built from the base.
 *
 * A mailbox is a list of ids (oldest first), a hash id → metadata JSON
 * `{ e: expiresAt, o: 1 if offline, b: bytes, s: sessionId or '', f: sender }` and a hash
 * id → message JSON. Mailbox keys expire with their newest message; the byte tallies must not
 * miss that, so each mailbox's offline bytes per sender are also kept in KEYS[4] (app-wide,
 * expiring after the last mailbox): forgetting a mailbox gives back what that says, whether or
 * not its keys are still there.
 */
const PREAMBLE = `
${LUA_EXTEND_TTL}
local boxes, senderBytes, appBytes, boxBytes = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local base, now, slack = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])

local function box(s)
  local k = base .. s
  return { seg = s, order = k .. '${MAILBOX_SUFFIX.order}', items = k .. '${MAILBOX_SUFFIX.items}', bodies = k .. '${MAILBOX_SUFFIX.bodies}' }
end

-- Offline bytes leave the tallies of their sender and app (and of the mailbox, in 'sum').
local function release(sum, from, bytes)
  if redis.call('HINCRBY', senderBytes, from, -bytes) <= 0 then redis.call('HDEL', senderBytes, from) end
  if redis.call('INCRBY', appBytes, -bytes) <= 0 then redis.call('DEL', appBytes) end
  if sum then
    local left = (sum[from] or 0) - bytes
    if left <= 0 then sum[from] = nil else sum[from] = left end
  end
end

local function load_sum(b)
  local raw = redis.call('HGET', boxBytes, b.seg)
  if raw then return cjson.decode(raw) end
  return {}
end

local function save_sum(b, sum)
  if next(sum) == nil then redis.call('HDEL', boxBytes, b.seg) else redis.call('HSET', boxBytes, b.seg, cjson.encode(sum)) end
end

-- The mailbox goes, with whatever offline bytes its tally still holds.
local function forget(b)
  local raw = redis.call('HGET', boxBytes, b.seg)
  if raw then
    for from, bytes in pairs(cjson.decode(raw)) do release(nil, from, bytes) end
    redis.call('HDEL', boxBytes, b.seg)
  end
  redis.call('DEL', b.order, b.items, b.bodies)
  redis.call('ZREM', boxes, b.seg)
end

-- The mailbox's messages, oldest first: { id, meta }. Ids without metadata are dropped.
local function read(b)
  local ids = redis.call('LRANGE', b.order, 0, -1)
  local out = {}
  for _, id in ipairs(ids) do
    local meta = redis.call('HGET', b.items, id)
    if meta then out[#out + 1] = { id = id, meta = cjson.decode(meta) } else redis.call('LREM', b.order, 1, id) end
  end
  return out
end

local function drop(b, entry, sum)
  if entry.meta.o == 1 then release(sum, entry.meta.f, entry.meta.b) end
  redis.call('LREM', b.order, 1, entry.id)
  redis.call('HDEL', b.items, entry.id)
  redis.call('HDEL', b.bodies, entry.id)
end

-- What is left of the mailbox is 'kept': save its tally, or forget it when empty. Returns the
-- tally to go on with.
local function settle(b, kept, sum)
  save_sum(b, sum)
  if #kept == 0 then
    forget(b)
    return {}
  end
  return sum
end

-- Mailboxes whose every message expired at 'now', at most 'limit' of them.
local function sweep(limit)
  local due = redis.call('ZRANGEBYSCORE', boxes, '-inf', now, 'LIMIT', 0, limit)
  for _, s in ipairs(due) do forget(box(s)) end
end

local function earliest()
  local first = redis.call('ZRANGE', boxes, 0, 0, 'WITHSCORES')
  return first[2] or ''
end
`;

export const PEER_SCRIPTS = {
  /**
   * ARGV[5] sweep limit, [6] id, [7] metadata, [8] message, [9] max per receiver, [10] '1' to
   * check the byte caps, [11] max sender bytes, [12] max app bytes, [13] expiresAt,
   * [14] '1' if offline, [15] bytes, [16] sender.
   * Returns { 1, evicted, earliest mailbox expiry } or { 0, 'sender' | 'app', earliest }.
   */
  hold: {
    keys: 4,
    lua: `${PREAMBLE}
sweep(tonumber(ARGV[5]))
local b = box(ARGV[4])
local sum = load_sum(b)
local live = {}
for _, entry in ipairs(read(b)) do
  if entry.meta.e > now then live[#live + 1] = entry else drop(b, entry, sum) end
end
sum = settle(b, live, sum)
local evicting = math.max(0, #live + 1 - tonumber(ARGV[9]))
local evicted = math.min(evicting, #live)
local offline, size, from = ARGV[14] == '1', tonumber(ARGV[15]), ARGV[16]
if ARGV[10] == '1' and offline then
  local freedSender, freedApp = 0, 0
  for i = 1, evicted do
    local meta = live[i].meta
    if meta.o == 1 then
      freedApp = freedApp + meta.b
      if meta.f == from then freedSender = freedSender + meta.b end
    end
  end
  local sender = tonumber(redis.call('HGET', senderBytes, from) or '0')
  if sender - freedSender + size > tonumber(ARGV[11]) then return { 0, 'sender', earliest() } end
  local app = tonumber(redis.call('GET', appBytes) or '0')
  if app - freedApp + size > tonumber(ARGV[12]) then return { 0, 'app', earliest() } end
end
for i = 1, evicted do drop(b, live[i], sum) end
redis.call('RPUSH', b.order, ARGV[6])
redis.call('HSET', b.items, ARGV[6], ARGV[7])
redis.call('HSET', b.bodies, ARGV[6], ARGV[8])
if offline then
  redis.call('HINCRBY', senderBytes, from, size)
  redis.call('INCRBY', appBytes, size)
  sum[from] = (sum[from] or 0) + size
end
save_sum(b, sum)
redis.call('ZADD', boxes, 'GT', ARGV[13], b.seg)
local mine = tonumber(redis.call('ZSCORE', boxes, b.seg))
for _, k in ipairs({ b.order, b.items, b.bodies }) do extend_ttl(k, mine - now + slack) end
local last = tonumber(redis.call('ZRANGE', boxes, -1, -1, 'WITHSCORES')[2])
for _, k in ipairs({ boxes, senderBytes, appBytes, boxBytes }) do extend_ttl(k, last - now + slack) end
return { 1, evicting, earliest() }
`,
  },
  /** ARGV[5] sweep limit. Returns the earliest mailbox expiry left ('' when none). */
  sweep: {
    keys: 4,
    lua: `${PREAMBLE}
sweep(tonumber(ARGV[5]))
return earliest()
`,
  },
  /** ARGV[5] sessionId, [6] max. Returns the messages (JSON), oldest first. */
  deliverable: {
    keys: 4,
    lua: `${PREAMBLE}
local b = box(ARGV[4])
local sum = load_sum(b)
local kept = {}
for _, entry in ipairs(read(b)) do
  if entry.meta.e > now and (entry.meta.s == '' or entry.meta.s == ARGV[5]) then kept[#kept + 1] = entry else drop(b, entry, sum) end
end
settle(b, kept, sum)
local out = {}
for i = 1, math.min(tonumber(ARGV[6]), #kept) do out[#out + 1] = redis.call('HGET', b.bodies, kept[i].id) or '' end
return out
`,
  },
  /** ARGV[5...] ids. Returns how many were removed. */
  remove: {
    keys: 4,
    lua: `${PREAMBLE}
local gone = {}
for i = 5, #ARGV do gone[ARGV[i]] = true end
local b = box(ARGV[4])
local sum = load_sum(b)
local kept, removed = {}, 0
for _, entry in ipairs(read(b)) do
  if gone[entry.id] then
    drop(b, entry, sum)
    removed = removed + 1
  else
    kept[#kept + 1] = entry
  end
end
settle(b, kept, sum)
return removed
`,
  },
  /** ARGV[5] sessionId. */
  dropForSession: {
    keys: 4,
    lua: `${PREAMBLE}
local b = box(ARGV[4])
local sum = load_sum(b)
local kept = {}
for _, entry in ipairs(read(b)) do
  if entry.meta.s == ARGV[5] then drop(b, entry, sum) else kept[#kept + 1] = entry end
end
settle(b, kept, sum)
return 1
`,
  },
} as const satisfies Record<string, ScriptSource>;
