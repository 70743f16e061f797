import { afterEach, describe, expect, it } from 'vitest';
import AgoraRTM, { type RtmClient } from '@rtm-kit/client';
import { MemoryStore, startServer, type RtmServer } from '@rtm-kit/server';

const APP_ID = '0123456789abcdef0123456789abcdef';

async function waitFor(check: () => boolean, ms = 5_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  for (let i = 0; i < 10_000; i++) {
    if (check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('health, readiness and drain', () => {
  const servers: RtmServer[] = [];
  const clients: RtmClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('answers /healthz and /readyz, and /readyz 503 when the store does not answer', async () => {
    const store = new MemoryStore() as MemoryStore & { ping?: () => Promise<void> };
    let reachable = true;
    store.ping = async () => {
      if (!reachable) throw new Error('connection refused');
    };
    const server = await startServer({ port: 0, logger: false, store });
    servers.push(server);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    reachable = false;
    const down = await fetch(`${server.url}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.text()).toBe('store unreachable');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('drains: /readyz 503, new logins refused, clients go RECONNECTING, then the server closes', async () => {
    const server = await startServer({ port: 0, logger: false, drainTimeoutMs: 3_000 });
    servers.push(server);
    const alice = AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, logFilter: AgoraRTM.LOG_FILTER_OFF });
    clients.push(alice);
    const states: string[] = [];
    alice.on('ConnectionStateChanged', (state, reason) => states.push(`${state}/${reason}`));
    await alice.login({ uid: 'alice' });

    const started = Date.now();
    const drained = server.drain();
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.text()).toBe('draining');
    // A new connection's handshake is refused while draining.
    expect((await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`)).status).toBe(403);
    // The session is not ended: it waits for the client in its grace period (a shared store
    // would let another node resume it).
    await waitFor(() => states.includes('RECONNECTING/INTERRUPTED'), 8_000, 'RECONNECTING');
    expect(states).not.toContain('ABORTED/BANNED_BY_SERVER');
    expect(states).not.toContain('ABORTED/INTERRUPTED');
    await drained;
    expect(Date.now() - started).toBeLessThan(3_000 + 2_000);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
