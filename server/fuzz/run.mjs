#!/usr/bin/env node
// `npm run fuzz`: fuzz the built server (run `npm run build` first if the sources changed).
//
//   FUZZ_SEED   the seed (default: a random one, printed so the run can be repeated)
//   FUZZ_RUNS   cases per property (default 200)
//   FUZZ_ONLY   comma-separated properties to run (requests, handshakes, http)
//   FUZZ_PATH   with FUZZ_ONLY and FUZZ_SEED: replay one failing case (the path a report prints)
//   FUZZ_TIME_LIMIT_S  stop each property after this many seconds (default: none)
//
// Exits 1 when a property or the resilience check fails.
import { Fuzz, PROPERTIES } from './fuzz.mjs';

/** @param {string} name @param {number} fallback */
function intFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n)) {
    console.error(`${name} must be an integer, not ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return n;
}

const seed = intFromEnv('FUZZ_SEED', (Math.random() * 2 ** 31) | 0);
const runs = intFromEnv('FUZZ_RUNS', 200);
const timeLimitS = intFromEnv('FUZZ_TIME_LIMIT_S', 0);
const only = (process.env['FUZZ_ONLY'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const path = process.env['FUZZ_PATH'] || undefined;
const names = only.length > 0 ? only : [...PROPERTIES];
for (const name of names) {
  if (!PROPERTIES.includes(/** @type {any} */ (name))) {
    console.error(`unknown property ${name}; one of ${PROPERTIES.join(', ')}`);
    process.exit(2);
  }
}

console.log(`fuzz seed ${seed}, ${runs} runs per property (repeat with FUZZ_SEED=${seed} FUZZ_RUNS=${runs} npm run fuzz)`);
const fuzz = new Fuzz({ seed });
let failed = false;
try {
  await fuzz.start();
  console.log(`server ${fuzz.ctx.target.url}, heap baseline ${((fuzz.baseline?.heapUsed ?? 0) / 1024 / 1024).toFixed(1)} MB`);
  for (const name of names) {
    const result = await fuzz.run(name, { runs, ...(timeLimitS > 0 ? { timeLimitMs: timeLimitS * 1_000 } : {}), ...(path ? { path } : {}) });
    failed ||= result.failed;
    console.log(result.report);
    console.log(`  ${JSON.stringify(result.stats)}`);
  }
  const resilience = await fuzz.resilience();
  console.log(`resilience: ${JSON.stringify(resilience.figures)}`);
  for (const problem of resilience.problems) console.log(`  FAILED: ${problem}`);
  failed ||= resilience.problems.length > 0;
} finally {
  await fuzz.close();
}
console.log(failed ? `fuzz FAILED (seed ${seed})` : `fuzz passed (seed ${seed})`);
process.exit(failed ? 1 : 0);
