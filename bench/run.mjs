#!/usr/bin/env node
/**
 * rtm-kit against bare socket.io, same workloads, same transport settings, one server core.
 *
 *   node bench/run.mjs              every workload, 3 runs each side, alternating (a few minutes)
 *   node bench/run.mjs --quick      small counts, 1 run: a smoke run
 *   options: --runs N, --only peer,login, --out DIR (default bench/results), --no-pin
 *
 * Each run starts a fresh server process (bare or rtm-kit, pinned to CPU 0) and a fresh driver
 * process (pinned to CPU 1), runs one workload, and records the server's CPU time, memory after
 * GC, and the latencies the driver saw. The table shows the median of the runs of each side and
 * the ratio rtm-kit / bare; the results file keeps every run. Figures are printed, never judged.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeMachine, machineBusySeconds } from './lib/machine.mjs';
import { canPin, exitUnlessBuilt, runDriver, startServerProcess } from './lib/processes.mjs';
import { median, medians, pairedRatios, ratios, resultsFile, table, TARGETS } from './lib/report.mjs';
import { round } from './lib/measure.mjs';
import { WORKLOADS } from './lib/workloads/index.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    only: { type: 'string' },
    out: { type: 'string' },
    'no-pin': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (args.help) {
  console.log('usage: node bench/run.mjs [--quick] [--runs N] [--only peer,fanout100,fanout1000,login,idle,attributes] [--out DIR] [--no-pin]');
  process.exit(0);
}

exitUnlessBuilt(root);

const runs = Math.max(1, Math.min(20, Number(args.runs ?? (args.quick ? 1 : 3)) || 1));
const only = args.only ? new Set(args.only.split(',').map((s) => s.trim())) : null;
const selected = WORKLOADS.filter((w) => !only || only.has(w.name));
if (selected.length === 0) {
  console.error(`no workload matches --only ${args.only}; known: ${WORKLOADS.map((w) => w.name).join(', ')}`);
  process.exit(1);
}
const pin = !args['no-pin'] && canPin();
const outDir = args.out ?? join(root, 'bench', 'results');
const runTimeoutMs = args.quick ? 60_000 : 180_000;

const machine = { ...describeMachine(), pinned: pin };
console.log(
  `rtm-kit vs bare socket.io: ${selected.length} workload(s) × ${runs} run(s) per side, ` +
    (pin ? 'server on CPU 0, driver on CPU 1' : 'not pinned (taskset or a second core missing)') +
    `; load average ${machine.loadavg.join(' ')}`,
);

const results = Object.fromEntries(
  selected.map((w) => {
    const params = args.quick ? w.quick : w.defaults;
    return [w.name, { title: w.title(params), params, metrics: w.metrics, runs: { bare: [], 'rtm-kit': [] } }];
  }),
);

const total = runs * selected.length * TARGETS.length;
let done = 0;
let failed = 0;
for (let r = 0; r < runs; r++) {
  // Alternate which side goes first, so a drift of the machine's load does not favour one side.
  const order = r % 2 === 0 ? TARGETS : [...TARGETS].reverse();
  for (const w of selected) {
    for (const target of order) {
      const entry = await runOnce(w, target, results[w.name].params);
      results[w.name].runs[target].push(entry);
      done++;
      const where = `[${done}/${total}] ${w.name} · ${target}`;
      if (entry.error) {
        failed++;
        console.log(`${where} · failed: ${entry.error.split('\n')[0]}`);
      } else {
        console.log(`${where} · ${entry.seconds} s · other processes used ${entry.otherCores ?? '?'} cores`);
        warnIfIncomplete(where, entry.figures);
      }
    }
  }
}

for (const w of Object.values(results)) {
  w.median = medians(w.runs);
  w.ratio = ratios(w.median);
  w.pairedRatios = pairedRatios(w);
}
const others = Object.values(results).flatMap((w) => TARGETS.flatMap((t) => w.runs[t].map((r) => r.otherCores)));
const otherCoresMedian = round(median(others));

const report = {
  version: 1,
  date: new Date().toISOString(),
  quick: args.quick,
  runsPerSide: runs,
  machine: { ...machine, loadavgAtEnd: describeMachine().loadavg, otherCoresMedian },
  versions: versions(),
  workloads: results,
};

console.log('');
console.log(table(Object.values(results)));
console.log('');
console.log(`Other processes used a median of ${otherCoresMedian ?? '?'} cores during the runs (a quiet machine shows about 0).`);
mkdirSync(outDir, { recursive: true });
const file = resultsFile(outDir, args.quick);
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
console.log(`results: ${file}`);
if (failed > 0) {
  console.error(`${failed} run(s) failed; their figures are missing from the medians.`);
  process.exit(1);
}

/** One workload on one side: fresh server, fresh driver, figures plus how busy the machine was. */
async function runOnce(w, target, params) {
  const started = performance.now();
  const busyAtStart = machineBusySeconds();
  const selfAtStart = process.cpuUsage();
  let server = null;
  try {
    server = await startServerProcess(target, { pin, cwd: root });
    const { figures, driverCpuTotalUs } = await runDriver(server, { workload: w.name, params }, { pin, cwd: root, timeoutMs: runTimeoutMs });
    const serverCpu = await server.request('cpu');
    const busy = machineBusySeconds();
    const self = process.cpuUsage(selfAtStart);
    const seconds = (performance.now() - started) / 1000;
    const ours = (serverCpu.user + serverCpu.system + driverCpuTotalUs + self.user + self.system) / 1e6;
    const otherCores = busy === null || busyAtStart === null ? null : round(Math.max(0, busy - busyAtStart - ours) / seconds);
    return { figures: Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, round(v)])), otherCores, seconds: round(seconds) };
  } catch (error) {
    return { error: String(error?.stack ?? error) };
  } finally {
    await server?.stop();
  }
}

function warnIfIncomplete(where, figures) {
  const missing = ['failures', 'unanswered', 'undelivered'].filter((k) => figures[k] > 0).map((k) => `${k} ${figures[k]}`);
  if (missing.length > 0) console.log(`${where} · note: ${missing.join(', ')}`);
}

function versions() {
  const version = (dir) => {
    try {
      return JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).version;
    } catch {
      return null;
    }
  };
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' });
  return {
    'socket.io': version('node_modules/socket.io'),
    'socket.io-client': version('node_modules/socket.io-client'),
    '@rtm-kit/server': version('server'),
    '@rtm-kit/client': version('packages/client'),
    commit: git.status === 0 ? git.stdout.trim() : null,
  };
}
