// The fuzzer: starts the built server as a child process with bystanders logged in, runs the
// properties (socket.io requests, handshakes, raw HTTP) with fast-check from one seed, and checks
// what must hold across them: the bystanders kept working with bounded latency, every attacker
// session ended, and the server's heap came back near its baseline once the attackers left.
// `run.mjs` is its command line (`npm run fuzz`); server/test/fuzz runs a bounded smoke of it.
import fc from 'fast-check';
import { FuzzContext } from './context.mjs';
import { handshakeProperty } from './handshakes.mjs';
import { httpProperty } from './http-requests.mjs';
import { requestProperty } from './requests.mjs';

/** The properties, in the order they run; each gets the seed plus its index. */
export const PROPERTIES = /** @type {const} */ (['requests', 'handshakes', 'http']);

/** A bystander's peer message must arrive within this, whatever the attackers do. */
export const PROBE_BOUND_MS = 2_000;

/**
 * How far the heap may stay above its baseline once every attacker is gone and every retention
 * period has passed: the baseline's own noise (a few MB between two collections) plus a margin.
 * A per-connection or per-request leak grows with the run, well past it.
 */
export const HEAP_SLACK = { bytes: 6 * 1024 * 1024, ratio: 0.25 };

/** The retention periods of `SHORT_RETENTION`, the longest one (1.5 s) plus a media sweep. */
const RETENTION_WAIT_MS = 3_000;

/**
 * @typedef {{ name: string, seed: number, runs: number, failed: boolean, interrupted: boolean,
 *   report: string, stats: Record<string, unknown>, ms: number }} PropertyResult
 * @typedef {{ problems: string[], figures: Record<string, unknown> }} ResilienceResult
 */

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @param {string} name
 * @param {FuzzContext} ctx
 * @param {Record<string, any>} stats
 */
function propertyOf(name, ctx, stats) {
  if (name === 'requests') return requestProperty(ctx, Object.assign(stats, { frames: 0, acks: 0, closes: 0 }));
  if (name === 'handshakes') return handshakeProperty(ctx, Object.assign(stats, { attempts: 0, accepted: 0, refused: 0 }));
  if (name === 'http') return httpProperty(ctx, Object.assign(stats, { requests: 0, statuses: {} }));
  throw new Error(`unknown property ${name}; one of ${PROPERTIES.join(', ')}`);
}

/** @param {number[]} values @param {number} q */
function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

const MB = 1024 * 1024;

export class Fuzz {
  ctx = new FuzzContext();
  /** @type {import('./target.mjs').HeapReport | null} */
  baseline = null;

  /** @param {{ seed: number }} options */
  constructor({ seed }) {
    this.seed = seed;
  }

  /**
   * Starts the server and the bystanders, runs every property a few times so the heap holds what
   * any run holds (compiled code, caches, pools), then takes the heap baseline and starts probing.
   * @param {{ warmUpRuns?: number, probeIntervalMs?: number }} [options]
   */
  async start({ warmUpRuns = 3, probeIntervalMs = 200 } = {}) {
    await this.ctx.start();
    for (const [i, name] of PROPERTIES.entries()) {
      // Failures here are found again by the real runs; warming up only has to touch the code.
      await fc.check(propertyOf(name, this.ctx, {}), {
        seed: this.seed ^ (0x5a5a + i),
        numRuns: warmUpRuns,
        endOnFailure: true,
        interruptAfterTimeLimit: 5_000,
      });
    }
    this.ctx.closeAttackers();
    await sleep(RETENTION_WAIT_MS);
    this.baseline = await this.ctx.target.heap();
    this.ctx.bystander?.startProbing(probeIntervalMs);
  }

  /**
   * Runs one property from the fuzz seed.
   * @param {string} name
   * @param {{ runs: number, timeLimitMs?: number, path?: string }} options
   * @returns {Promise<PropertyResult>}
   */
  async run(name, { runs, timeLimitMs, path }) {
    const index = PROPERTIES.indexOf(/** @type {any} */ (name));
    const seed = (this.seed + Math.max(0, index)) | 0;
    /** @type {Record<string, unknown>} */
    const stats = {};
    const started = performance.now();
    const details = await fc.check(propertyOf(name, this.ctx, stats), {
      seed,
      numRuns: runs,
      ...(path ? { path } : {}),
      ...(timeLimitMs ? { interruptAfterTimeLimit: timeLimitMs, markInterruptAsFailure: false } : {}),
    });
    const ms = performance.now() - started;
    let report = `${name}: ${details.numRuns} runs, seed ${seed}, ${Math.round(ms)} ms${details.interrupted ? ' (time limit reached)' : ''}`;
    if (details.failed) {
      const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      report =
        `${name} FAILED after ${details.numRuns} runs and ${details.numShrinks} shrinks (seed ${seed}, path ${JSON.stringify(details.counterexamplePath)}):\n` +
        `${error}\n` +
        `replay: FUZZ_SEED=${this.seed} FUZZ_ONLY=${name} FUZZ_PATH=${JSON.stringify(details.counterexamplePath)} npm run fuzz`;
    }
    return { name, seed, runs: details.numRuns, failed: details.failed, interrupted: details.interrupted, report, stats, ms };
  }

  /**
   * After the properties: stop probing, let every attacker go, wait out the retention periods,
   * then check the bystanders' record, who is still online, and the heap.
   * @returns {Promise<ResilienceResult>}
   */
  async resilience() {
    const { ctx } = this;
    const bystander = ctx.bystander;
    bystander?.stopProbing();
    // One more after the attack: the bystanders must still be served now, however short the run.
    if (bystander) bystander.samples.push(await bystander.probe());
    ctx.closeAttackers();
    await sleep(RETENTION_WAIT_MS);
    const problems = [];
    if (ctx.target.restarts > 0) problems.push(`the server went down ${ctx.target.restarts} time(s) during the run`);
    const heap = await ctx.target.heap();
    const samples = bystander?.samples ?? [];
    const latencies = samples.map((s) => s.ms);
    const failures = samples.filter((s) => !s.ok);
    if (!bystander) problems.push('no bystanders');
    else {
      if (samples.length === 0) problems.push('no bystander probe ran');
      for (const f of failures.slice(0, 5)) problems.push(`a bystander's peer message failed after ${Math.round(f.ms)} ms: ${f.error}`);
      const slow = samples.filter((s) => s.ok && s.ms > PROBE_BOUND_MS);
      if (slow.length > 0) problems.push(`${slow.length} bystander peer message(s) took longer than ${PROBE_BOUND_MS} ms (slowest ${Math.round(Math.max(...slow.map((s) => s.ms)))} ms)`);
      if (bystander.changes.length > 0) problems.push(`the bystanders' connections changed state: ${bystander.changes.join(', ')}`);
    }
    const sample = (/** @type {Set<string>} */ set) => [...set].slice(-800);
    let online = /** @type {string[]} */ ([]);
    if (bystander && ctx.target.restarts === 0) {
      online = await bystander.stillOnline(sample(ctx.loggedIn.tokens), sample(ctx.loggedIn.open)).catch((error) => {
        problems.push(`asking who is online failed: ${error instanceof Error ? error.message : String(error)}`);
        return [];
      });
      if (online.length > 0) problems.push(`${online.length} attacker uid(s) are still online after they all disconnected: ${online.slice(0, 10).join(', ')}`);
    }
    const baseline = this.baseline;
    if (!heap || !baseline) problems.push('the heap could not be measured');
    else {
      const allowed = baseline.heapUsed * (1 + HEAP_SLACK.ratio) + HEAP_SLACK.bytes;
      if (heap.heapUsed > allowed) {
        problems.push(`the heap did not return near its baseline: ${(heap.heapUsed / MB).toFixed(1)} MB after the attackers left, baseline ${(baseline.heapUsed / MB).toFixed(1)} MB (allowed ${(allowed / MB).toFixed(1)} MB)`);
      }
      if (heap.tcp > baseline.tcp) problems.push(`${heap.tcp - baseline.tcp} more TCP socket(s) open in the server than at the baseline`);
    }
    const figures = {
      probes: samples.length,
      probeFailures: failures.length,
      probeP50Ms: Math.round(quantile(latencies, 0.5)),
      probeP99Ms: Math.round(quantile(latencies, 0.99)),
      probeMaxMs: Math.round(Math.max(0, ...latencies)),
      heapBaselineMB: baseline ? Number((baseline.heapUsed / MB).toFixed(1)) : null,
      heapAfterMB: heap ? Number((heap.heapUsed / MB).toFixed(1)) : null,
      rssAfterMB: heap ? Number((heap.rss / MB).toFixed(1)) : null,
      tcpBaseline: baseline?.tcp ?? null,
      tcpAfter: heap?.tcp ?? null,
      timersBaseline: baseline?.timers ?? null,
      timersAfter: heap?.timers ?? null,
      maxEventLoopDelayMs: heap ? Math.round(heap.maxLoopDelayMs) : null,
      attackerUids: ctx.loggedIn.tokens.size + ctx.loggedIn.open.size,
      stillOnline: online.length,
      serverErrorsLogged: ctx.target.errors.length,
    };
    return { problems, figures };
  }

  async close() {
    await this.ctx.close();
  }
}
