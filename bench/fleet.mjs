#!/usr/bin/env node
/**
 * What a fleet costs: the peer-message and channel fan-out workloads of `npm run bench` on one
 * node (memory store), one node on Redis, and two nodes on Redis with the users split between
 * them (every peer message crosses nodes; a channel's members are on both).
 *
 *   node bench/fleet.mjs              3 runs of each setup, alternating (a few minutes)
 *   node bench/fleet.mjs --quick      small counts, 1 run: a smoke run
 *   options: --runs N, --only peer,fanout100, --out DIR (default bench/results), --redis URL (default: a private redis-server on a
 *   free port, so that nothing else's Redis work is counted; else REDIS_URL or 127.0.0.1:6379)
 *
 * Server-side CPU per operation counts every node process and the Redis server (from its
 * `INFO cpu`), so a fleet is charged for the work it moves into Redis. Nothing is pinned: two
 * nodes, Redis and the driver share the machine's cores; CPU time, not wall time, is compared.
 * Prints the medians and the ratios against one node; writes bench/results/fleet-<date>.json.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { RedisStore } from '../server/dist/stores/redis/index.js';
import { describeMachine } from './lib/machine.mjs';
import { exitUnlessBuilt, runDriver, startServerProcess } from './lib/processes.mjs';
import { round } from './lib/measure.mjs';
import { median, resultsFile } from './lib/report.mjs';
import { WORKLOADS } from './lib/workloads/index.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    only: { type: 'string' },
    redis: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  console.log('usage: node bench/fleet.mjs [--quick] [--runs N] [--only peer,fanout100] [--redis URL] [--out DIR]');
  process.exit(0);
}
exitUnlessBuilt(root);

const privateRedis = args.redis === undefined ? await startPrivateRedis() : null;
const redisUrl = args.redis ?? privateRedis?.url ?? process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const runs = Math.max(1, Math.min(10, Number(args.runs ?? (args.quick ? 1 : 3)) || 1));
const names = args.only ? args.only.split(',').map((s) => s.trim()) : ['peer', 'fanout100'];
const workloads = WORKLOADS.filter((w) => names.includes(w.name));
if (workloads.length === 0) {
  console.error(`no workload matches --only ${args.only}; this benchmark runs peer and fanout100`);
  process.exit(1);
}

/** The setups, the first being what the others are compared with. */
const SETUPS = [
  { name: 'one node', nodes: 1, redis: false },
  { name: 'one node + Redis', nodes: 1, redis: true },
  { name: 'two nodes + Redis', nodes: 2, redis: true },
];

const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
try {
  await redis.connect();
} catch (error) {
  console.error(`No Redis at ${redisUrl} (${error.message}): start one or pass --redis URL.`);
  process.exit(1);
}

/** Redis's own CPU time so far, µs. */
async function redisCpuUs() {
  const info = await redis.info('cpu');
  const field = (name) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return Math.round((field('used_cpu_user') + field('used_cpu_sys')) * 1e6);
}

/** The nodes (and Redis) of a setup seen as one server by the driver: CPU summed over them all. */
function asOneServer(nodes, withRedis) {
  return {
    target: 'rtm-kit',
    url: nodes[0].url,
    async request(op, extra) {
      if (op !== 'cpu') return nodes[0].request(op, extra);
      const each = await Promise.all(nodes.map((n) => n.request('cpu')));
      const user = each.reduce((sum, c) => sum + c.user, 0) + (withRedis ? await redisCpuUs() : 0);
      return { user, system: each.reduce((sum, c) => sum + c.system, 0) };
    },
  };
}

async function runOnce(setup, workload, params) {
  const prefix = `rtm-bench:${randomUUID()}:`;
  process.env['RTM_BENCH_REDIS'] = setup.redis ? redisUrl : '';
  process.env['RTM_BENCH_PREFIX'] = prefix;
  const nodes = [];
  try {
    for (let i = 0; i < setup.nodes; i++) nodes.push(await startServerProcess('rtm-kit-node', { pin: false, cwd: root }));
    const server = asOneServer(nodes, setup.redis);
    const job = { workload: workload.name, params, ...(setup.nodes > 1 ? { urls: nodes.map((n) => n.url) } : {}) };
    const { figures } = await runDriver(server, job, { pin: false, cwd: root, timeoutMs: args.quick ? 60_000 : 180_000 });
    return figures;
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    if (setup.redis) await deleteKeys(prefix);
  }
}

/** Leaves Redis as the setup found it: every key under the run's prefix goes. */
async function deleteKeys(prefix) {
  const store = new RedisStore({ client: redis, keyPrefix: prefix });
  await store.deleteAll();
}

console.log(`fleet cost: ${workloads.map((w) => w.name).join(', ')} × ${SETUPS.length} setups × ${runs} run(s); Redis at ${redisUrl}`);
const results = {};
let failed = 0;
for (const w of workloads) {
  const params = args.quick ? w.quick : w.defaults;
  const metric = w.metrics[0][0];
  results[w.name] = { title: w.title(params), metric, params, setups: Object.fromEntries(SETUPS.map((s) => [s.name, []])) };
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? SETUPS : [...SETUPS].reverse();
    for (const setup of order) {
      try {
        const figures = await runOnce(setup, w, params);
        results[w.name].setups[setup.name].push(figures);
        const problems = ['failures', 'unanswered'].filter((k) => figures[k] > 0).map((k) => `${k} ${figures[k]}`);
        console.log(`${w.name} · ${setup.name} · ${round(figures[metric])} ${w.metrics[0][1]}${problems.length ? ` · ${problems.join(', ')}` : ''}`);
      } catch (error) {
        failed++;
        console.log(`${w.name} · ${setup.name} · failed: ${String(error?.message ?? error).split('\n')[0]}`);
      }
    }
  }
}
await redis.quit();
privateRedis?.stop();

console.log('');
const lines = [];
for (const [name, w] of Object.entries(results)) {
  const base = median(w.setups[SETUPS[0].name].map((f) => f[w.metric]));
  lines.push(`${w.title} (${w.metric}, nodes + Redis)`);
  for (const setup of SETUPS) {
    const values = w.setups[setup.name].map((f) => f[w.metric]);
    const m = median(values);
    w.setups[setup.name] = { runs: w.setups[setup.name], median: round(m), ratio: base ? round(m / base) : null };
    const p50 = median(w.setups[setup.name].runs.map((f) => f.p50Ms));
    lines.push(`  ${setup.name.padEnd(20)} ${String(round(m)).padStart(8)}   ×${String(round(m / base)).padEnd(6)} p50 ${round(p50)} ms`);
  }
  void name;
}
console.log(lines.join('\n'));
const outDir = args.out ?? join(root, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
const file = resultsFile(outDir, args.quick, 'fleet-');
writeFileSync(file, `${JSON.stringify({ version: 1, date: new Date().toISOString(), quick: args.quick, runs, machine: describeMachine(), redisUrl, workloads: results }, null, 2)}\n`);
console.log(`results: ${file}`);
if (failed > 0) {
  console.error(`${failed} run(s) failed; their figures are missing from the medians.`);
  process.exitCode = 1;
}

/**
 * A Redis server of the benchmark's own on a free port, so that its CPU time is this run's alone;
 * null when `redis-server` is not installed (then REDIS_URL, whose other users count too).
 */
async function startPrivateRedis() {
  const port = await new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address();
      probe.close(() => resolve(free));
    });
  });
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const started = await new Promise((resolve) => {
    child.once('error', () => resolve(false));
    setTimeout(() => resolve(child.exitCode === null), 300);
  });
  if (!started) return null;
  process.once('exit', () => child.kill('SIGKILL'));
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGKILL') };
}
