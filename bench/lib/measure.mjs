/** What every workload measures with: latency histograms, a paced sender, bounded waits, CPU deltas. */
import * as hdr from 'hdr-histogram-js';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Latencies in µs (1 µs to 60 s, 3 significant digits), read back in ms. */
export class Latency {
  #histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });

  /** Record the time since `startMs` (a `performance.now()` reading). */
  since(startMs) {
    this.record(performance.now() - startMs);
  }

  record(ms) {
    this.#histogram.recordValue(Math.min(60_000_000, Math.max(1, Math.round(ms * 1000))));
  }

  get count() {
    return this.#histogram.totalCount;
  }

  /** p50, p99 and max in ms, or nulls when nothing was recorded. */
  summary() {
    if (this.count === 0) return { p50Ms: null, p99Ms: null, maxMs: null };
    const ms = (us) => Math.round(us) / 1000;
    return {
      p50Ms: ms(this.#histogram.getValueAtPercentile(50)),
      p99Ms: ms(this.#histogram.getValueAtPercentile(99)),
      maxMs: ms(this.#histogram.maxValue),
    };
  }
}

/**
 * Open loop: calls `send(i)` for i = 0 .. rate × durationMs / 1000 − 1, on schedule whatever the
 * answers do, in ticks of `tickMs` (what is due by a tick is sent in that tick). Stops at the
 * count, or once `durationMs` + 1 s have passed if the process falls too far behind.
 * @returns the number of calls made
 */
export async function paced({ rate, durationMs, send, tickMs = 5 }) {
  const total = Math.round((rate * durationMs) / 1000);
  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const elapsed = performance.now() - start;
    if (elapsed > durationMs + 1_000) break;
    const due = Math.min(total, Math.floor((elapsed * rate) / 1000) + 1);
    while (sent < due) send(sent++);
    await sleep(tickMs);
  }
  return sent;
}

/** Resolves once `done()` is true, or false after `timeoutMs`. */
export async function waitFor(done, timeoutMs, intervalMs = 10) {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) return false;
    await sleep(intervalMs);
  }
  return true;
}

/** Runs `task(item, i)` for every item with at most `concurrency` at once; resolves with the failures. */
export async function pool(items, concurrency, task) {
  let next = 0;
  const failures = [];
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        await task(items[i], i);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return failures;
}

/**
 * Server CPU (µs), driver CPU and wall time (ms) from now to `stop()`; when profiling, the
 * server's CPU profile covers the same window, unless `profile` is false.
 */
export async function cpuWindow(server, { profile = true } = {}) {
  if (profile) await server.profileStart?.();
  const serverStart = await server.cpu();
  const driverStart = process.cpuUsage();
  const wallStart = performance.now();
  return {
    async stop() {
      const serverEnd = await server.cpu();
      const driverEnd = process.cpuUsage(driverStart);
      const wallMs = performance.now() - wallStart;
      if (profile) await server.profileStop?.();
      return {
        serverCpuUs: serverEnd.user + serverEnd.system - serverStart.user - serverStart.system,
        driverCpuUs: driverEnd.user + driverEnd.system,
        wallMs,
      };
    },
  };
}

/**
 * Waits until the server has been (nearly) idle for `quietMs`: the tail of a setup (member events,
 * presence notifications) must not land in a measured window. Gives up after `timeoutMs`.
 */
export async function settle(server, { quietMs = 300, maxBusy = 0.05, timeoutMs = 5_000 } = {}) {
  const deadline = performance.now() + timeoutMs;
  let last = await server.cpu();
  while (performance.now() < deadline) {
    await sleep(quietMs);
    const now = await server.cpu();
    const busy = (now.user + now.system - last.user - last.system) / 1000 / quietMs;
    last = now;
    if (busy <= maxBusy) return true;
  }
  return false;
}

/** Rounds for a results file: 3 significant digits is all these figures carry. */
export function round(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return value ?? null;
  if (value === 0) return 0;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return Number(value.toFixed(Math.min(digits, 6)));
}
