#!/usr/bin/env node
/**
 * Where a server spends its time and memory, for one workload (not part of `npm run bench`):
 *
 *   node bench/profile.mjs cpu  [--workload peer] [--target rtm-kit] [--top 25] [--whole-process]
 *       runs the workload once and profiles the server's CPU over the measured window (with
 *       --whole-process: the whole process under `node --cpu-prof`, setup and start-up included);
 *       prints the share of each part (rtm-kit, socket.io, Node, GC) and the functions with the
 *       most self time
 *   node bench/profile.mjs alloc [--workload peer] [--target rtm-kit] [--top 25] [--held survived|retained]
 *       runs the workload once and samples what the server allocates over the measured window,
 *       collected since or not (what the garbage collector works through): bytes per operation,
 *       by part and by the function that allocated; with --held survived, only what outlived the
 *       young generation (what scavenges copy and promote); with --held retained, only what is
 *       still held at the window's end (what the heap grows by)
 *   node bench/profile.mjs heap [--target rtm-kit] [--top 25]
 *       runs the idle workload with a heap snapshot at half and at all of its users, prints what
 *       each added user holds (objects and bytes per user, by constructor)
 *
 * Profiles and snapshots go to a temporary directory (printed; --keep keeps it).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { canPin, runDriver, startServerProcess } from './lib/processes.mjs';
import { workload } from './lib/workloads/index.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    workload: { type: 'string', default: 'peer' },
    target: { type: 'string', default: 'rtm-kit' },
    top: { type: 'string', default: '25' },
    keep: { type: 'boolean', default: false },
    'whole-process': { type: 'boolean', default: false },
    held: { type: 'string', default: '' },
  },
});
const mode = positionals[0];
if ((mode !== 'cpu' && mode !== 'alloc' && mode !== 'heap') || !['', 'survived', 'retained'].includes(args.held)) {
  console.error('usage: node bench/profile.mjs cpu|alloc|heap [--workload NAME] [--target rtm-kit|bare] [--top N] [--whole-process] [--held survived|retained] [--keep]');
  process.exit(1);
}
const top = Math.max(1, Number(args.top) || 25);
const pin = canPin();
const dir = mkdtempSync(join(tmpdir(), 'rtm-kit-profile-'));

try {
  if (mode === 'cpu') await cpu();
  else if (mode === 'alloc') await alloc();
  else await heap();
} finally {
  if (args.keep) console.log(`files kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}

async function cpu() {
  const w = workload(args.workload);
  const whole = args['whole-process'];
  const nodeArgs = whole ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
  const server = await startServerProcess(args.target, { pin, cwd: root, nodeArgs });
  try {
    const job = { workload: w.name, params: w.defaults, ...(whole ? {} : { profiles: dir }) };
    const { figures } = await runDriver(server, job, { pin, cwd: root, timeoutMs: 180_000 });
    console.log(`${w.title(w.defaults)} on ${args.target}: ${JSON.stringify(figures)}`);
  } finally {
    await server.stop();
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error('the server wrote no profile');
  summariseCpu(files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8'))));
}

/** Self time per function and per part, over .cpuprofile files (nodes, samples, timeDeltas). */
function summariseCpu(profiles) {
  const byFunction = new Map();
  const byPart = new Map();
  let busy = 0;
  for (const profile of profiles) {
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const profiler = profilerNodes(profile.nodes);
    const self = new Map();
    profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
    for (const [id, us] of self) {
      const { functionName, url, lineNumber } = byId.get(id).callFrame;
      // The control channel's call that stops the profile is the profiler's time, not the server's.
      if (functionName === '(idle)' || profiler.has(id)) continue;
      busy += us;
      const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
      const key = `${functionName || '(anonymous)'} ${where}`.trim();
      byFunction.set(key, (byFunction.get(key) ?? 0) + us);
      byPart.set(part(functionName, url), (byPart.get(part(functionName, url)) ?? 0) + us);
    }
  }
  const pct = (us) => `${((100 * us) / busy).toFixed(1)}%`.padStart(6);
  console.log(`\nbusy time in the profile: ${(busy / 1000).toFixed(0)} ms (idle excluded)\n\nby part:`);
  for (const [name, us] of [...byPart].sort((a, b) => b[1] - a[1])) console.log(`${pct(us)}  ${name}`);
  console.log(`\ntop ${top} functions by self time:`);
  for (const [name, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`);
  }
}

/** Ids of the profile's nodes under `node:inspector`'s calls (the profile being started or stopped). */
function profilerNodes(nodes) {
  const under = new Set();
  const mark = (node, inside) => {
    const here = inside || node.callFrame.url === 'node:inspector';
    if (here) under.add(node.id);
    for (const child of node.children ?? []) mark(byId.get(child), here);
  };
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const children = new Set(nodes.flatMap((n) => n.children ?? []));
  for (const root of nodes.filter((n) => !children.has(n.id))) mark(root, false);
  return under;
}

async function alloc() {
  const w = workload(args.workload);
  const server = await startServerProcess(args.target, { pin, cwd: root });
  let figures;
  try {
    const job = { workload: w.name, params: w.defaults, profiles: dir, profileKind: args.held || 'alloc' };
    ({ figures } = await runDriver(server, job, { pin, cwd: root, timeoutMs: 180_000 }));
  } finally {
    await server.stop();
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.heapprofile'));
  if (files.length === 0) throw new Error('the server wrote no allocation profile');
  const byFunction = new Map();
  const byPart = new Map();
  let total = 0;
  for (const file of files) {
    const { head } = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    // Self sizes are the sampled bytes allocated in that function (not in what it called).
    const visit = (node, inside) => {
      const { functionName, url, lineNumber } = node.callFrame;
      const profiler = inside || url === 'node:inspector';
      if (!profiler && node.selfSize > 0) {
        total += node.selfSize;
        const key = `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim();
        byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize);
        byPart.set(part(functionName, url), (byPart.get(part(functionName, url)) ?? 0) + node.selfSize);
      }
      for (const child of node.children ?? []) visit(child, profiler);
    };
    visit(head, false);
  }
  const ops = figures.ops;
  console.log(`${w.title(w.defaults)} on ${args.target}: ${JSON.stringify(figures)}`);
  const perOp = (bytes) => `${(bytes / ops).toFixed(0).padStart(7)} B/op`;
  console.log(`
allocated over the measured window: ${(total / 1024 / 1024).toFixed(1)} MB, ${perOp(total).trim()} (sampled)

by part:`);
  for (const [name, bytes] of [...byPart].sort((a, b) => b[1] - a[1])) console.log(`${perOp(bytes)}  ${name}`);
  console.log(`
top ${top} functions by bytes allocated:`);
  for (const [name, bytes] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${perOp(bytes)}  ${name}`);
}

function shortUrl(url) {
  const at = url.indexOf('/node_modules/');
  if (at >= 0) return url.slice(at + '/node_modules/'.length);
  return url.startsWith(`file://${root}`) ? url.slice(`file://${root}`.length) : url;
}

function part(functionName, url) {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)') return 'V8 and native (program)';
  if (!url) return 'native';
  if (/node_modules\/(socket\.io|engine\.io|socket\.io-adapter|socket\.io-parser|engine\.io-parser|ws)\//.test(url)) return 'socket.io, engine.io, ws';
  if (url.includes('/node_modules/')) return `other packages (${shortUrl(url).split('/')[0]})`;
  if (url.includes('/server/dist/')) return 'rtm-kit server';
  if (url.includes('/packages/protocol/dist/')) return 'rtm-kit protocol (schemas, limits)';
  if (url.startsWith('node:')) return 'Node built-ins';
  return 'other';
}

async function heap() {
  const w = workload('idle');
  const server = await startServerProcess(args.target, { pin, cwd: root });
  let figures;
  try {
    ({ figures } = await runDriver(server, { workload: w.name, params: w.defaults, snapshots: dir }, { pin, cwd: root, timeoutMs: 300_000 }));
  } finally {
    await server.stop();
  }
  console.log(`${w.title(w.defaults)} on ${args.target}: ${figures.heapKbPerUser} KB heap per user`);
  const added = w.defaults.users - Math.floor(w.defaults.users / 2);
  const half = countHeap(join(dir, `${args.target}-half.heapsnapshot`));
  const full = countHeap(join(dir, `${args.target}-full.heapsnapshot`));
  const rows = [...full]
    .map(([key, f]) => {
      const h = half.get(key) ?? { count: 0, bytes: 0 };
      return [key, (f.count - h.count) / added, (f.bytes - h.bytes) / added];
    })
    .filter(([, count, bytes]) => count > 0.05 || bytes > 8)
    .sort((a, b) => b[2] - a[2]);
  const total = rows.reduce((sum, [, , bytes]) => sum + bytes, 0);
  console.log(`\nper added user: ${(total / 1024).toFixed(1)} KB in the snapshot (self sizes)\n\n objects/user  bytes/user  what`);
  for (const [key, count, bytes] of rows.slice(0, top)) {
    console.log(`${count.toFixed(1).padStart(13)}  ${bytes.toFixed(0).padStart(10)}  ${key}`);
  }
}

/** Objects and self bytes per (type, constructor) in a heap snapshot. */
function countHeap(file) {
  const snapshot = JSON.parse(readFileSync(file, 'utf8'));
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const counts = new Map();
  const { nodes, strings } = snapshot;
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt]];
    const name = strings[nodes[i + nameAt]];
    const key = type === 'object' || type === 'closure' ? `${name} (${type})` : `(${type}${type === 'native' || type === 'hidden' ? `: ${name}` : ''})`;
    const entry = counts.get(key) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += nodes[i + sizeAt];
    counts.set(key, entry);
  }
  return counts;
}
