import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import AgoraRTM, { type RtmClient } from '@rtm-kit/client';

// The built CLI as the Dockerfile starts it (its CMD, from the repository root), on a loopback
// port: admin API and metrics from the environment, then SIGTERM.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const APP_ID = '0123456789abcdef0123456789abcdef';
const TOKEN = 'cli-admin-token-0123456789abcdef';
const DRAIN_MS = 4_000;

let dir: string;
let child: ChildProcess | null = null;
const clients: RtmClient[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rtm-cli-drain-'));
  return () => rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  for (const c of clients.splice(0)) await c.logout().catch(() => undefined);
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = null;
});

async function dockerCmd(): Promise<string[]> {
  const text = await readFile(join(ROOT, 'Dockerfile'), 'utf8');
  const line = text.split('\n').filter((l) => l.startsWith('CMD ')).at(-1) ?? '';
  return JSON.parse(line.slice(4)) as string[];
}

describe('rtm-server as the container runs it', () => {
  it('serves admin and metrics from the environment, and drains on SIGTERM within the bound', async () => {
    const [command, ...args] = await dockerCmd();
    expect(command).toBe('node');
    const proc = spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: '0',
        HOST: '127.0.0.1',
        RTM_MEDIA_DIR: join(dir, 'media'),
        RTM_ADMIN_TOKEN: TOKEN,
        RTM_METRICS: '1',
        RTM_DRAIN_TIMEOUT_MS: String(DRAIN_MS),
        LOG_LEVEL: 'info',
      },
    });
    child = proc;
    let output = '';
    proc.stdout?.on('data', (chunk) => (output += String(chunk)));
    proc.stderr?.on('data', (chunk) => (output += String(chunk)));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the CLI did not start:\n${output}`)), 15_000);
      proc.stdout?.on('data', () => {
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      void exited.then(() => reject(new Error(`the CLI exited while starting:\n${output}`)));
    });

    // Production logs are JSON lines; the admin token never appears in them.
    const first = output.split('\n').find((l) => l.includes('listening on')) ?? '';
    expect(JSON.parse(first)).toMatchObject({ level: 30, name: 'rtm-kit', url });

    expect((await fetch(`${url}/admin/v1/apps/${APP_ID}/sessions`)).status).toBe(401);
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('rtm_connections');

    const alice = AgoraRTM.createInstance(APP_ID, { serverUrl: url, logFilter: AgoraRTM.LOG_FILTER_OFF });
    clients.push(alice);
    const states: string[] = [];
    alice.on('ConnectionStateChanged', (state, reason) => states.push(`${state}/${reason}`));
    await alice.login({ uid: 'alice' });
    const sessions = await fetch(`${url}/admin/v1/apps/${APP_ID}/sessions`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(((await sessions.json()) as { sessions: Array<{ uid: string }> }).sessions.map((s) => s.uid)).toEqual(['alice']);

    const started = Date.now();
    proc.kill('SIGTERM');
    const code = await exited;
    const took = Date.now() - started;
    expect(code).toBe(0);
    expect(took).toBeLessThan(DRAIN_MS + 2_000);
    // The client was told nothing final: it keeps trying, as for a network failure.
    const until = Date.now() + 8_000;
    while (!states.includes('RECONNECTING/INTERRUPTED') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(states).toContain('RECONNECTING/INTERRUPTED');
    expect(states.some((s) => s.startsWith('ABORTED'))).toBe(false);
    expect(output).toContain('SIGTERM: draining');
    expect(output).not.toContain(TOKEN);
    console.info(`rtm-server drained and exited ${took} ms after SIGTERM with one client connected`);
  });
});
