import { Redis } from 'ioredis';
import type { Timing } from '@rtm-kit/protocol';
import type { Clock, TimerHandle } from '../core/clock.js';
import type { CoreLog } from '../core/context.js';
import type { Core } from '../core/core.js';
import type { ConnectionObserver } from '../binding/socketio.js';
import { RedisStore } from '../stores/redis/index.js';
import { RedisBanStore } from '../stores/redis/ban-store.js';
import { RedisNodeRegistry, type HeldConnection } from '../stores/redis/node-registry.js';
import { RedisScheduler } from '../stores/redis/scheduler.js';
import { randomId } from '../core/secrets.js';
import { streamsAdapter } from './streams-adapter.js';

/** How long a closing node tries to end its sessions, and to tell the others it is leaving. */
const LEAVE_TIMEOUT_MS = 2_000;

/** Waits for `work`, at most `LEAVE_TIMEOUT_MS`. */
async function withinBound(work: Promise<unknown>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, LEAVE_TIMEOUT_MS);
  });
  try {
    await Promise.race([work, bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** `startServer({ store: { redis } })`: where the fleet's Redis is and how nodes watch each other. */
export interface RedisFleetOptions {
  /** `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS. */
  readonly url: string;
  /**
   * What every key starts with (default `rtm:`); fleets sharing one Redis use different ones.
   * Must not contain braces.
   */
  readonly keyPrefix?: string;
  /**
   * A node silent this long is taken for dead: a survivor starts the grace period of each
   * connection it held. Default 10 s. Give every node of a fleet the same value.
   */
  readonly nodeTimeoutMs?: number;
  /** How often a node tells the others it is alive. Default a fifth of `nodeTimeoutMs`, at most 2 s. */
  readonly heartbeatMs?: number;
  /** How often a node looks for due deadlines. Default 100 ms. */
  readonly deadlinePollMs?: number;
}

export type RedisStoreOption = string | RedisFleetOptions;

/**
 * One node of a fleet sharing Redis: the store, the deadlines every node polls, the socket.io
 * adapter that carries events between nodes (Redis streams), and the watch on the other nodes.
 *
 * The streams adapter rather than the pub/sub one: a stream keeps what was published while a
 * node's connection to Redis is briefly down, and the node reads on from where it stopped, where
 * pub/sub drops those packets (a missed channel message, a lost kick).
 */
export class RedisFleetMember {
  readonly nodeId = randomId();
  readonly store: RedisStore;
  /** The operator's bans, checked by every node. */
  readonly bans: RedisBanStore;
  readonly scheduler: RedisScheduler;
  readonly adapter: ReturnType<typeof streamsAdapter>;
  readonly #redis: Redis;
  readonly #registry: RedisNodeRegistry;
  readonly #clock: Clock;
  readonly #log: CoreLog;
  readonly #heartbeatMs: number;
  readonly #nodeTimeoutMs: number;
  #core: Core | null = null;
  #timer: TimerHandle | null = null;
  #stopped = false;
  /** Since when this node's beats have gone through without waiting; null after trouble. */
  #beatingSince: number | null = null;

  constructor(option: RedisStoreOption, clock: Clock, log: CoreLog, timing?: Partial<Timing>) {
    const options: RedisFleetOptions = typeof option === 'string' ? { url: option } : option;
    const prefix = options.keyPrefix ?? 'rtm:';
    this.#clock = clock;
    this.#log = log;
    this.#nodeTimeoutMs = options.nodeTimeoutMs ?? 10_000;
    this.#heartbeatMs = options.heartbeatMs ?? Math.min(2_000, Math.max(50, Math.floor(this.#nodeTimeoutMs / 5)));
    // Commands wait while Redis is away and are sent when it is back (ioredis's offline queue);
    // a request that waits too long fails by its own timeout higher up.
    this.#redis = new Redis(options.url, { lazyConnect: false, maxRetriesPerRequest: null });
    this.#redis.on('error', (error: unknown) => log('warn', 'redis connection', error));
    this.store = new RedisStore({ client: this.#redis, keyPrefix: prefix, timing });
    this.bans = new RedisBanStore(this.#redis, this.store.keys);
    this.scheduler = new RedisScheduler(this.#redis, prefix, clock, log, { pollMs: options.deadlinePollMs });
    this.#registry = new RedisNodeRegistry(this.#redis, prefix, this.nodeId);
    // Commands cut off by this node's own close are expected, and not worth a warning.
    this.adapter = streamsAdapter(this.#redis, {
      prefix,
      log: (level, message, detail) => {
        if (!this.#stopped) log(level, message, detail);
      },
    });
  }

  /** Waits until Redis answers, so a wrong URL fails `startServer` instead of the first login. */
  async ready(): Promise<void> {
    await this.#redis.ping();
  }

  /** The connections this node holds, by session ID. */
  readonly #held = new Map<string, HeldConnection>();

  /** What the binding reports of this node's connections. */
  readonly connections: ConnectionObserver = {
    opened: (c) => {
      this.#held.set(c.sessionId, c);
      void this.#registry.hold(c).catch((error: unknown) => this.#log('warn', 'recording a connection failed', error));
    },
    closed: (c) => {
      if (this.#held.get(c.sessionId)?.epoch === c.epoch) this.#held.delete(c.sessionId);
      void this.#registry.release(c).catch((error: unknown) => this.#log('warn', 'recording a closed connection failed', error));
    },
  };

  /**
   * End the sessions of the connections this node still holds, as a logout would: `close()`
   * stops a node for good, like the end of a single server with the memory store, where sessions
   * go with the process. (`drain()` closes the connections first instead, so their clients
   * resume on another node; nothing is held by then.)
   */
  async endHeldSessions(core: Core): Promise<void> {
    const held = [...this.#held.values()];
    this.#held.clear();
    const ending = Promise.all(
      held.map(async (c) => {
        const session = await core.sessions.get(c.appId, c.uid);
        if (session?.sessionId === c.sessionId) await core.sessions.logout(session);
      }),
    ).catch((error: unknown) => this.#log('warn', 'ending the sessions of a closing node failed', error));
    // Redis may be away: then the sessions end as a dead node's do, after its timeout and grace.
    await withinBound(ending);
  }

  /** Start beating and watching the other nodes on behalf of `core`. */
  start(core: Core): void {
    this.#core = core;
    this.scheduler.start();
    this.#tick();
  }

  /** Stop watching and leave the fleet; this node's connections were closed before. */
  async close(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.scheduler.dispose();
    // Redis may be away: the others then notice this node's silence instead (nodeTimeoutMs).
    await withinBound(this.#registry.leave().catch((error: unknown) => this.#log('warn', 'leaving the fleet failed', error)));
    await this.store.close();
    this.#redis.disconnect();
  }

  #tick(): void {
    if (this.#stopped) return;
    this.#beat()
      .catch((error: unknown) => this.#log('warn', 'node heartbeat failed', error))
      .finally(() => {
        if (!this.#stopped) this.#timer = this.#clock.setTimeout(() => this.#tick(), this.#heartbeatMs);
      });
  }

  async #beat(): Promise<void> {
    const startedAt = this.#clock.now();
    try {
      await this.#registry.beat(startedAt);
    } catch (error) {
      this.#beatingSince = null;
      throw error;
    }
    const now = this.#clock.now();
    // A beat that had to wait (Redis was away) means the other nodes could not beat either:
    // judge them only after a full node timeout of beats that went through at once.
    if (now - startedAt > this.#heartbeatMs) this.#beatingSince = null;
    this.#beatingSince ??= now;
    if (now - this.#beatingSince < this.#nodeTimeoutMs) return;
    const dead = await this.#registry.claimDead(now - this.#nodeTimeoutMs);
    for (const { nodeId, held } of dead) {
      this.#log('warn', `node ${nodeId} stopped beating; starting the grace period of its ${held.length} connections`);
      await Promise.all(held.map((c) => this.#orphaned(c)));
    }
  }

  /**
   * A connection of a dead node: nobody saw it drop, so the store still says it is connected.
   * Its grace period starts now, unless the client already reconnected elsewhere (a newer epoch)
   * or the session ended.
   */
  async #orphaned(c: HeldConnection): Promise<void> {
    const core = this.#core;
    if (!core) return;
    const session = await core.sessions.get(c.appId, c.uid);
    if (!session || session.sessionId !== c.sessionId || session.epoch !== c.epoch || !session.connected) return;
    await core.sessions.connectionLost(session);
  }
}
