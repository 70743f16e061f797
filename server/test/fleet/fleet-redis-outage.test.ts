import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import AgoraRTM, { type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { redisAvailable } from '../redis/redis-available.js';
import { APP_ID } from './fleet-kit.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const waitFor = async (check: () => boolean | Promise<boolean>, what: string, ms = 10_000) => {
  for (let i = 0, until = Date.now() + ms; i < 100_000; i++) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A Redis server of the test's own (append-only file in `dir`, so a restart keeps the data). */
async function redisServer(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], { stdio: 'ignore' });
  // Asked by connecting: a check that bound the port itself could hold it at the moment
  // redis-server binds, which then exits with the address in use.
  await waitFor(() => {
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}) before it listened on ${port}`);
    return new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  }, 'redis-server to listen');
  return child;
}

const stopped = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));

const hasRedisServer = await new Promise<boolean>((resolve) => {
  const probe = spawn('redis-server', ['--version'], { stdio: 'ignore' });
  probe.once('error', () => resolve(false));
  probe.once('exit', (code) => resolve(code === 0));
});

describe.runIf(redisAvailable && hasRedisServer)('a fleet whose Redis stops and comes back', () => {
  const nodes: RtmServer[] = [];
  const clients: RtmClient[] = [];
  let redis: ChildProcess | null = null;
  let dir = '';
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
    await Promise.all(nodes.splice(0).map((n) => n.close()));
    redis?.kill('SIGKILL');
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('keeps connections up meanwhile, reports sends as failed, not delivered, and resumes service with the same sessions', { timeout: 60_000 }, async () => {
    dir = await mkdtemp(join(tmpdir(), 'rtm-redis-'));
    const port = await freePort();
    redis = await redisServer(port, dir);
    const store = { redis: { url: `redis://127.0.0.1:${port}`, keyPrefix: 'outage:', heartbeatMs: 200, nodeTimeoutMs: 3_000, deadlinePollMs: 20 } };
    for (let i = 0; i < 2; i++) nodes.push(await startServer({ port: 0, logger: false, store }));
    const [a, b] = nodes as [RtmServer, RtmServer];
    const user = async (uid: string, node: RtmServer) => {
      const c = AgoraRTM.createInstance(APP_ID, { serverUrl: node.url, logFilter: AgoraRTM.LOG_FILTER_OFF });
      clients.push(c);
      await c.login({ uid });
      return c;
    };
    const alice = await user('alice', a);
    const bob = await user('bob', b);
    const got: string[] = [];
    bob.on('MessageFromPeer', (m) => got.push('text' in m ? m.text : ''));
    await alice.sendMessageToPeer({ text: 'before' }, 'bob');
    const sessionBefore = await a.core.sessions.get(APP_ID, 'alice');

    // Redis goes away (SIGTERM: it writes its append-only file and exits).
    redis.kill('SIGTERM');
    await stopped(redis);
    const during = await alice.sendMessageToPeer({ text: 'during' }, 'bob').then(
      (r) => (r.hasPeerReceived ? 'delivered' : 'not delivered'),
      (error: { code?: number }) => `failed ${error.code}`,
    );
    // Never reported delivered while its state could not be written.
    expect(during).not.toBe('delivered');
    expect(alice.connectionState).toBe('CONNECTED');
    expect(bob.connectionState).toBe('CONNECTED');

    // Back on the same port with its data.
    redis = await redisServer(port, dir);
    await waitFor(async () => (await a.core.sessions.get(APP_ID, 'alice'))?.sessionId === sessionBefore?.sessionId, 'the store to answer again');
    let after = 'not delivered';
    for (let i = 0; i < 20 && after !== 'delivered'; i++) {
      after = await alice.sendMessageToPeer({ text: `after ${i}` }, 'bob').then(
        (r) => (r.hasPeerReceived ? 'delivered' : 'not delivered'),
        () => 'failed',
      );
      if (after !== 'delivered') await sleep(250);
    }
    expect(after).toBe('delivered');
    expect(got[0]).toBe('before');
    expect(got.filter((t) => t === 'before')).toHaveLength(1);
    expect(alice.connectionState).toBe('CONNECTED');
    expect((await b.core.sessions.get(APP_ID, 'alice'))?.sessionId).toBe(sessionBefore?.sessionId);
  });

  it('lets a node close within a bound while Redis is away', { timeout: 30_000 }, async () => {
    dir = await mkdtemp(join(tmpdir(), 'rtm-redis-'));
    const port = await freePort();
    redis = await redisServer(port, dir);
    const node = await startServer({ port: 0, logger: false, store: { redis: { url: `redis://127.0.0.1:${port}`, keyPrefix: 'away:' } } });
    const alice = AgoraRTM.createInstance(APP_ID, { serverUrl: node.url, logFilter: AgoraRTM.LOG_FILTER_OFF });
    await alice.login({ uid: 'alice' });
    redis.kill('SIGKILL');
    await stopped(redis);
    const started = Date.now();
    await node.close();
    // Ending its sessions and leaving the fleet each give up after 2 s.
    expect(Date.now() - started).toBeLessThan(8_000);
    await alice.logout().catch(() => undefined);
  });
});
