import type { Redis } from 'ioredis';
import { defineScripts } from './scripts.js';

/** A connection a node holds: enough to find its session and to tell whether it moved on. */
export interface HeldConnection {
  readonly appId: string;
  readonly uid: string;
  readonly sessionId: string;
  readonly epoch: number;
}

/**
 * Which node holds which connections, and which nodes are alive. Each node beats into a sorted
 * set (member: node ID, score: last beat) and keeps a set of the connections it holds. A node that
 * has not beaten for `deadAfterMs` is dead; the first survivor to claim it (one script: remove it
 * from the set, take its connections) gets what it held, so exactly one node cleans up after it.
 */
const SCRIPTS = {
  // KEYS[1] nodes; ARGV before, max. Returns the IDs of nodes claimed as dead.
  claimDead: {
    keys: 1,
    lua: `
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(dead) do redis.call('ZREM', KEYS[1], id) end
return dead
`,
  },
  // KEYS[1] the dead node's connections; returns them and deletes the set.
  takeAll: {
    keys: 1,
    lua: `
local held = redis.call('SMEMBERS', KEYS[1])
redis.call('DEL', KEYS[1])
return held
`,
  },
} as const;

export class RedisNodeRegistry {
  readonly nodeId: string;
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #scripts;

  constructor(redis: Redis, prefix: string, nodeId: string) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.nodeId = nodeId;
    this.#scripts = defineScripts(redis, 'nodes', SCRIPTS);
  }

  async beat(now: number): Promise<void> {
    await this.#redis.zadd(this.#nodesKey(), now, this.nodeId);
  }

  async hold(connection: HeldConnection): Promise<void> {
    await this.#redis.sadd(this.#heldKey(this.nodeId), encode(connection));
  }

  async release(connection: HeldConnection): Promise<void> {
    await this.#redis.srem(this.#heldKey(this.nodeId), encode(connection));
  }

  /** Nodes silent since `before`, claimed by this node, each with the connections it held. */
  async claimDead(before: number, max = 16): Promise<Array<{ nodeId: string; held: HeldConnection[] }>> {
    const dead = (await this.#scripts.claimDead([this.#nodesKey()], [before, max])) as string[];
    const out: Array<{ nodeId: string; held: HeldConnection[] }> = [];
    for (const nodeId of dead) {
      if (nodeId === this.nodeId) continue;
      const raw = (await this.#scripts.takeAll([this.#heldKey(nodeId)], [])) as string[];
      out.push({ nodeId, held: raw.map(decode).filter((c): c is HeldConnection => c !== null) });
    }
    return out;
  }

  /** A node that stops on purpose: its connections were closed and handed to the grace period already. */
  async leave(): Promise<void> {
    await this.#redis.multi().zrem(this.#nodesKey(), this.nodeId).del(this.#heldKey(this.nodeId)).exec();
  }

  #nodesKey(): string {
    return `${this.#prefix}nodes`;
  }

  #heldKey(nodeId: string): string {
    return `${this.#prefix}node:${nodeId}:connections`;
  }
}

function encode(c: HeldConnection): string {
  return JSON.stringify([c.appId, c.uid, c.sessionId, c.epoch]);
}

function decode(raw: string): HeldConnection | null {
  try {
    const [appId, uid, sessionId, epoch] = JSON.parse(raw) as unknown[];
    if (typeof appId !== 'string' || typeof uid !== 'string' || typeof sessionId !== 'string' || typeof epoch !== 'number') return null;
    return { appId, uid, sessionId, epoch };
  } catch {
    return null;
  }
}
