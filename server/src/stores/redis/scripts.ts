import type { Redis } from 'ioredis';

/**
 * Lua scripts, registered on the client with ioredis `defineCommand` (EVALSHA, falling back to
 * EVAL once after a Redis restart flushed the script cache). Each part of the store keeps its
 * scripts beside its code and registers them through `defineScripts`.
 *
 * Times: scripts never read Redis's clock. Whether something expired is decided against the
 * `now` the core passes in, stored times compared exactly as the memory store compares them.
 * Redis TTLs only reclaim memory, and are relative (PEXPIRE of the time left by the core's own
 * clock, plus `TTL_SLACK_MS`) rather than absolute (PEXPIREAT): the core's clock is not Redis's
 * (nodes drift; tests run a manual clock whose times mean nothing to Redis), and an absolute
 * expiry in Redis's past would delete a key at once.
 */

export interface ScriptSource {
  /** How many leading arguments are keys (all of one app's slot); -1 when callers say. */
  readonly keys: number;
  readonly lua: string;
}

export type Script = (keys: readonly string[], args: ReadonlyArray<string | number>) => Promise<unknown>;

type Command = (...args: Array<string | number>) => Promise<unknown>;

/**
 * Registers `sources` on `redis` as commands `rtm_<part>_<name>` (once per client: stores sharing
 * a client share them) and returns a caller for each.
 */
export function defineScripts<N extends string>(redis: Redis, part: string, sources: Record<N, ScriptSource>): Record<N, Script> {
  const client = redis as unknown as Record<string, Command | undefined>;
  const scripts = {} as Record<N, Script>;
  for (const name of Object.keys(sources) as N[]) {
    const { keys, lua } = sources[name];
    const command = `rtm_${part}_${name}`;
    if (typeof client[command] !== 'function') redis.defineCommand(command, keys < 0 ? { lua } : { numberOfKeys: keys, lua });
    scripts[name] = (keyList, args) => {
      if (keys < 0) return (client[command] as Command).call(redis, keyList.length, ...keyList, ...args);
      if (keyList.length !== keys) throw new Error(`${command} takes ${keys} keys, got ${keyList.length}`);
      return (client[command] as Command).call(redis, ...keyList, ...args);
    };
  }
  return scripts;
}

/** Added to every TTL: keys outlive what they hold a little, never the other way round. */
export const TTL_SLACK_MS = 60_000;

/**
 * `extend_ttl(key, ms)`: make the key live at least `ms` more (never shortens a longer TTL). A
 * key without a TTL gets one: every key this is used on is meant to expire.
 */
export const LUA_EXTEND_TTL = `
local function extend_ttl(key, ms)
  ms = math.floor(ms)
  if ms < 1 then ms = 1 end
  local current = redis.call('PTTL', key)
  if current == -2 then return end
  if current == -1 or current < ms then redis.call('PEXPIRE', key, ms) end
end
`;

/** Nil-safe number of a reply or argument. */
export const LUA_NUM = `
local function num(v, default)
  if v == false or v == nil or v == '' then return default end
  return tonumber(v)
end
`;

/** Flattens `{ field: value }` replies (HGETALL) into a record. */
export function pairs(reply: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = String(reply[i + 1]);
  return out;
}
