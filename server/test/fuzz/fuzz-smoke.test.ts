import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fuzz } from '../../fuzz/fuzz.mjs';

// A bounded run of `npm run fuzz` against the built server (a child process): a few dozen cases
// per property from a fresh seed each time, printed so a failure can be replayed with
// `FUZZ_SEED=<seed> npm run fuzz` (the report also prints the failing case's path).
const seed = process.env['FUZZ_SEED'] ? Number(process.env['FUZZ_SEED']) : (Math.random() * 2 ** 31) | 0;
const runs = process.env['FUZZ_RUNS'] ? Number(process.env['FUZZ_RUNS']) : 25;
/** Each property stops starting new cases after this, so a loaded machine still finishes in time. */
const TIME_LIMIT_MS = 10_000;

describe(`fuzzing the built server (seed ${seed}, ${runs} cases per property)`, () => {
  const fuzz = new Fuzz({ seed });

  beforeAll(async () => {
    console.log(`fuzz smoke: seed ${seed}; repeat with FUZZ_SEED=${seed} FUZZ_RUNS=${runs}`);
    await fuzz.start({ warmUpRuns: 2 });
  }, 60_000);

  afterAll(async () => {
    await fuzz.close();
  }, 30_000);

  it('answers every socket.io request with an envelope, refuses what the schemas refuse and keeps the connection', async () => {
    const result = await fuzz.run('requests', { runs, timeLimitMs: TIME_LIMIT_MS });
    expect(result.runs).toBeGreaterThan(0);
    expect(result.stats['frames']).toBeGreaterThan(0);
    expect(result.failed, result.report).toBe(false);
  }, 60_000);

  it('answers every handshake, lets nobody into the tokens app without a valid token and one connection per uid', async () => {
    const result = await fuzz.run('handshakes', { runs, timeLimitMs: TIME_LIMIT_MS });
    expect(result.runs).toBeGreaterThan(0);
    expect(result.stats['attempts']).toBeGreaterThan(0);
    expect(result.failed, result.report).toBe(false);
  }, 60_000);

  it('answers every raw HTTP request without a 5xx and never serves a file outside the served directory', async () => {
    const result = await fuzz.run('http', { runs, timeLimitMs: TIME_LIMIT_MS });
    expect(result.runs).toBeGreaterThan(0);
    expect(result.stats['requests']).toBeGreaterThan(0);
    expect(result.failed, result.report).toBe(false);
  }, 60_000);

  it('kept the bystanders served within the bound, ended every attacker session and returned the heap near its baseline', async () => {
    const { problems, figures } = await fuzz.resilience();
    expect(figures['probes']).toBeGreaterThan(0);
    expect(problems, JSON.stringify(figures)).toEqual([]);
  }, 30_000);
});
