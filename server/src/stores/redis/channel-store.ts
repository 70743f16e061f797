import type { Redis } from 'ioredis';
import type { ChannelJoin, ChannelStore, StoredChannelMessage } from '../../core/channels/channel-store.js';
import { decodeJson, encodeJson } from './codec.js';
import { CHANNEL_SUFFIX, type RedisKeys } from './keys.js';
import { defineScripts, TTL_SLACK_MS } from './scripts.js';

/**
 * Channels in Redis. A channel is three keys: members (hash uid → `<joinSeq>|<sessionId>`), its
 * message counter (`seq`, INCR) and its replay buffer (list of `<serverReceivedTs> <seq> <json>`,
 * oldest first, expiring a replay window after its newest message). The last member's leave
 * deletes all three, so an empty channel starts over at seq 0.
 *
 * A user's joined channels belong to one session: `joined:<uid>:session` names it and
 * `joined:<uid>:channels` maps each channel ID to its key base, so `leaveAll` finds the keys of
 * every channel in one script (same app, same slot).
 */
const LEAVE_ONE = `
local function session_of(member)
  if not member then return nil end
  return string.match(member, '^%d+|(.*)$')
end

-- Removes uid from the channel at 'base' if it joined through sessionId; the count after, or nil.
local function leave_one(base, uid, sessionId)
  local members = base .. '${CHANNEL_SUFFIX.members}'
  if session_of(redis.call('HGET', members, uid)) ~= sessionId then return nil end
  redis.call('HDEL', members, uid)
  local n = redis.call('HLEN', members)
  if n == 0 then redis.call('DEL', base .. '${CHANNEL_SUFFIX.seq}', base .. '${CHANNEL_SUFFIX.replay}') end
  return n
end
`;

const SCRIPTS = {
  /** KEYS: joined session, joined channels. ARGV: channel base, uid, sessionId, maxJoined, channelId. */
  join: {
    keys: 2,
    lua: `${LEAVE_ONE}
local members, seqKey = ARGV[1] .. '${CHANNEL_SUFFIX.members}', ARGV[1] .. '${CHANNEL_SUFFIX.seq}'
local seq = redis.call('GET', seqKey) or '0'
if session_of(redis.call('HGET', members, ARGV[2])) == ARGV[3] then
  return { 1, redis.call('HLEN', members), seq, 1 }
end
if redis.call('GET', KEYS[1]) ~= ARGV[3] then
  redis.call('DEL', KEYS[2])
  redis.call('SET', KEYS[1], ARGV[3])
end
if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[4]) then return { 0 } end
redis.call('HSET', members, ARGV[2], seq .. '|' .. ARGV[3])
redis.call('HSET', KEYS[2], ARGV[5], ARGV[1])
return { 1, redis.call('HLEN', members), seq, 0 }
`,
  },
  /** KEYS: joined session, joined channels. ARGV: channel base, uid, sessionId, channelId. */
  leave: {
    keys: 2,
    lua: `${LEAVE_ONE}
local n = leave_one(ARGV[1], ARGV[2], ARGV[3])
if n == nil then return false end
if redis.call('GET', KEYS[1]) == ARGV[3] then
  redis.call('HDEL', KEYS[2], ARGV[4])
  if redis.call('HLEN', KEYS[2]) == 0 then redis.call('DEL', KEYS[1]) end
end
return n
`,
  },
  /** KEYS: joined session, joined channels. ARGV: uid, sessionId. Returns channelId, count, ... */
  leaveAll: {
    keys: 2,
    lua: `${LEAVE_ONE}
if redis.call('GET', KEYS[1]) ~= ARGV[2] then return {} end
local joined = redis.call('HGETALL', KEYS[2])
local out = {}
for i = 1, #joined, 2 do
  local n = leave_one(joined[i + 1], ARGV[1], ARGV[2])
  if n ~= nil then
    out[#out + 1] = joined[i]
    out[#out + 1] = n
  end
end
redis.call('DEL', KEYS[1], KEYS[2])
return out
`,
  },
  /**
   * KEYS: members, seq, replay. ARGV: uid, sessionId ('' for the server side: any channel with
   * members), message JSON, ts, keepMax, keepSince, ttl.
   */
  append: {
    keys: 3,
    lua: `${LEAVE_ONE}
if ARGV[2] == '' then
  if redis.call('EXISTS', KEYS[1]) == 0 then return false end
elseif session_of(redis.call('HGET', KEYS[1], ARGV[1])) ~= ARGV[2] then
  return false
end
local seq = redis.call('INCR', KEYS[2])
local length = redis.call('RPUSH', KEYS[3], ARGV[4] .. ' ' .. seq .. ' ' .. ARGV[3])
local keepSince = tonumber(ARGV[6])
local drop = math.max(0, length - tonumber(ARGV[5]))
while drop < length and tonumber(string.match(redis.call('LINDEX', KEYS[3], drop), '^(%S+) ')) < keepSince do
  drop = drop + 1
end
if drop >= length then
  redis.call('DEL', KEYS[3])
else
  if drop > 0 then redis.call('LTRIM', KEYS[3], drop, -1) end
  redis.call('PEXPIRE', KEYS[3], ARGV[7])
end
return seq
`,
  },
  /** KEYS: members, replay. ARGV: uid, sessionId, afterSeq, since, max. Returns { 1, entries... } or nil. */
  missed: {
    keys: 2,
    lua: `
local member = redis.call('HGET', KEYS[1], ARGV[1])
if not member then return false end
local joinSeq, sessionId = string.match(member, '^(%d+)|(.*)$')
if sessionId ~= ARGV[2] then return false end
local max = tonumber(ARGV[5])
if max <= 0 then return { 1 } end
local from, since = math.max(tonumber(ARGV[3]), tonumber(joinSeq)), tonumber(ARGV[4])
local found = {}
for _, entry in ipairs(redis.call('LRANGE', KEYS[2], 0, -1)) do
  local ts, seq = string.match(entry, '^(%S+) (%S+) ')
  if tonumber(seq) > from and tonumber(ts) >= since then found[#found + 1] = entry end
end
local out = { 1 }
for i = math.max(1, #found - max + 1), #found do out[#out + 1] = found[i] end
return out
`,
  },
} as const;

export class RedisChannelStore implements ChannelStore {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  readonly #scripts;

  constructor(redis: Redis, keys: RedisKeys) {
    this.#redis = redis;
    this.#keys = keys;
    this.#scripts = defineScripts(redis, 'channel', SCRIPTS);
  }

  async join(appId: string, channelId: string, uid: string, sessionId: string, maxJoined: number): Promise<ChannelJoin> {
    const reply = (await this.#scripts.join(this.#joined(appId, uid), [
      this.#keys.channel(appId, channelId),
      uid,
      sessionId,
      maxJoined,
      channelId,
    ])) as [number, number?, string?, number?];
    if (reply[0] !== 1) return { ok: false, reason: 'EXCEED_LIMIT' };
    return { ok: true, count: Number(reply[1]), seq: Number(reply[2]), already: reply[3] === 1 };
  }

  async leave(appId: string, channelId: string, uid: string, sessionId: string): Promise<{ readonly count: number } | null> {
    const reply = await this.#scripts.leave(this.#joined(appId, uid), [this.#keys.channel(appId, channelId), uid, sessionId, channelId]);
    return reply === null ? null : { count: Number(reply) };
  }

  async leaveAll(appId: string, uid: string, sessionId: string): Promise<Array<{ readonly channelId: string; readonly count: number }>> {
    const reply = (await this.#scripts.leaveAll(this.#joined(appId, uid), [uid, sessionId])) as Array<string | number>;
    const left: Array<{ channelId: string; count: number }> = [];
    for (let i = 0; i + 1 < reply.length; i += 2) left.push({ channelId: String(reply[i]), count: Number(reply[i + 1]) });
    return left;
  }

  async channelsOf(appId: string, uid: string, sessionId: string): Promise<string[]> {
    const [joinedSession, joinedChannels] = this.#joined(appId, uid);
    const replies = await this.#redis.multi().get(joinedSession).hkeys(joinedChannels).exec();
    if (replies?.[0]?.[1] !== sessionId) return [];
    return (replies[1]?.[1] ?? []) as string[];
  }

  async isMember(appId: string, channelId: string, uid: string, sessionId?: string): Promise<boolean> {
    const member = await this.#redis.hget(this.#members(appId, channelId), uid);
    return member !== null && (sessionId === undefined || member.slice(member.indexOf('|') + 1) === sessionId);
  }

  async members(appId: string, channelId: string): Promise<string[]> {
    return this.#redis.hkeys(this.#members(appId, channelId));
  }

  async count(appId: string, channelId: string): Promise<number> {
    return this.#redis.hlen(this.#members(appId, channelId));
  }

  async append(
    appId: string,
    channelId: string,
    sessionId: string | null,
    message: Omit<StoredChannelMessage, 'seq'>,
    keepMax: number,
    keepSince: number,
  ): Promise<number | null> {
    const base = this.#keys.channel(appId, channelId);
    const body = encodeJson({ from: message.from, message: message.message, serverReceivedTs: message.serverReceivedTs });
    // The buffer outlives its newest message by the replay window (the time between `keepSince`
    // and the message), plus slack.
    const ttl = Math.max(1, message.serverReceivedTs - keepSince) + TTL_SLACK_MS;
    const reply = await this.#scripts.append(
      [base + CHANNEL_SUFFIX.members, base + CHANNEL_SUFFIX.seq, base + CHANNEL_SUFFIX.replay],
      [message.from, sessionId ?? '', body, message.serverReceivedTs, Math.max(0, keepMax), keepSince, ttl],
    );
    return reply === null ? null : Number(reply);
  }

  async missed(
    appId: string,
    channelId: string,
    uid: string,
    sessionId: string,
    afterSeq: number,
    since: number,
    max: number,
  ): Promise<StoredChannelMessage[] | null> {
    const base = this.#keys.channel(appId, channelId);
    const reply = (await this.#scripts.missed([base + CHANNEL_SUFFIX.members, base + CHANNEL_SUFFIX.replay], [uid, sessionId, afterSeq, since, max])) as
      | [number, ...string[]]
      | null;
    if (reply === null) return null;
    return reply.slice(1).map((entry) => {
      const text = String(entry);
      const first = text.indexOf(' ');
      const second = text.indexOf(' ', first + 1);
      const body = decodeJson<Omit<StoredChannelMessage, 'seq'>>(text.slice(second + 1));
      return { seq: Number(text.slice(first + 1, second)), from: body.from, message: body.message, serverReceivedTs: body.serverReceivedTs };
    });
  }

  #joined(appId: string, uid: string): [string, string] {
    return [this.#keys.joinedSession(appId, uid), this.#keys.joinedChannels(appId, uid)];
  }

  #members(appId: string, channelId: string): string {
    return this.#keys.channel(appId, channelId) + CHANNEL_SUFFIX.members;
  }
}
