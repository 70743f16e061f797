import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { redisAvailable as withRedis } from '../server/test/redis/redis-available.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs `node args...` from the repository root; resolves with its exit code and output. */
function runNode(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, NODE_OPTIONS: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node ${args.join(' ')} did not finish in ${timeoutMs} ms; output so far:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

interface BenchReport {
  runsPerSide: number;
  workloads: Record<string, { runs: Record<'bare' | 'rtm-kit', Array<{ error?: string; figures?: Record<string, unknown> }>> }>;
}

describe('the benchmark harness (run `npm run build` first; `npm test` does)', () => {
  it('runs every workload once on each server with --quick, prints the table and writes a results file', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rtm-kit-bench-'));
    try {
      const { code, stdout, stderr } = await runNode(['bench/run.mjs', '--quick', '--out', out], 240_000);
      expect(code, `${stdout}\n${stderr}`).toBe(0);
      expect(stdout).toContain('| workload | figure | bare socket.io | rtm-kit | rtm-kit / bare |');

      const files = readdirSync(out).filter((f) => f.endsWith('.json'));
      expect(files).toHaveLength(1);
      const report = JSON.parse(readFileSync(join(out, files[0] ?? ''), 'utf8')) as BenchReport;
      expect(report.runsPerSide).toBe(1);
      expect(Object.keys(report.workloads)).toEqual(['peer', 'fanout100', 'fanout1000', 'login', 'idle', 'attributes']);
      for (const w of Object.values(report.workloads)) {
        for (const side of [w.runs.bare, w.runs['rtm-kit']]) {
          expect(side).toHaveLength(1);
          expect(side[0]?.error).toBeUndefined();
          expect(side[0]?.figures).toBeTypeOf('object');
        }
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 300_000);

  // Needs a Redis server (its own redis-server, else REDIS_URL): without one, npm test says so.
  it.runIf(withRedis)('measures a fleet with --quick: one node, one node on Redis, two nodes on Redis', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rtm-kit-bench-fleet-'));
    try {
      const { code, stdout, stderr } = await runNode(['bench/fleet.mjs', '--quick', '--only', 'peer', '--out', out], 180_000);
      expect(code, `${stdout}\n${stderr}`).toBe(0);
      for (const setup of ['one node', 'one node + Redis', 'two nodes + Redis']) expect(stdout).toContain(setup);
      const files = readdirSync(out).filter((f) => f.endsWith('.json'));
      expect(files).toHaveLength(1);
      const report = JSON.parse(readFileSync(join(out, files[0] ?? ''), 'utf8')) as {
        workloads: Record<string, { setups: Record<string, { runs: Array<Record<string, number>>; median: number }> }>;
      };
      for (const setup of Object.values(report.workloads['peer']?.setups ?? {})) {
        expect(setup.runs).toHaveLength(1);
        expect(setup.median).toBeGreaterThan(0);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 200_000);
});
