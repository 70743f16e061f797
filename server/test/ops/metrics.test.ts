import { afterEach, describe, expect, it } from 'vitest';
import AgoraRTM, { type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';

const APP_ID = '0123456789abcdef0123456789abcdef';

async function waitFor(check: () => boolean, ms = 5_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  for (let i = 0; i < 10_000; i++) {
    if (check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The value of one series in Prometheus text (`name{labels} value`), 0 when absent. */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

describe('/metrics', () => {
  const servers: RtmServer[] = [];
  const clients: RtmClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('is off unless enabled', async () => {
    const server = await startServer({ port: 0, logger: false });
    servers.push(server);
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
  });

  it('moves with traffic, on a registry per server', async () => {
    const server = await startServer({ port: 0, logger: false, metrics: true });
    const other = await startServer({ port: 0, logger: false, metrics: true });
    servers.push(server, other);
    const scrape = async (s = server) => {
      const res = await fetch(`${s.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      return res.text();
    };
    const before = await scrape();
    expect(before).toContain('# TYPE rtm_connections gauge');
    expect(before).toContain('rtm_nodejs_eventloop_lag_seconds');
    expect(value(before, 'rtm_connections')).toBe(0);
    expect(value(before, 'rtm_messages_total')).toBe(0);

    const login = async (uid: string) => {
      const client = AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, logFilter: AgoraRTM.LOG_FILTER_OFF });
      clients.push(client);
      await client.login({ uid });
      return client;
    };
    const alice = await login('alice');
    const bob = await login('bob');
    let received = 0;
    bob.on('MessageFromPeer', () => received++);
    for (let i = 0; i < 3; i++) await alice.sendMessageToPeer({ text: `hi ${i}` }, 'bob');
    await alice.sendMessageToPeer({ text: 'to nobody' }, 'carol');
    const aliceIn = alice.createChannel('lobby');
    const bobIn = bob.createChannel('lobby');
    await aliceIn.join();
    await bobIn.join();
    await aliceIn.sendMessage({ text: 'to the channel' });
    await expect(alice.queryPeersOnlineStatus(['bob'])).resolves.toEqual({ bob: true });
    await waitFor(() => received === 3, 5_000, 'three peer messages');

    const after = await scrape();
    expect(value(after, 'rtm_connections')).toBe(2);
    expect(value(after, 'rtm_sessions', { app: APP_ID })).toBe(2);
    expect(value(after, 'rtm_messages_total', { kind: 'peer', outcome: 'delivered', source: 'client' })).toBe(3);
    expect(value(after, 'rtm_messages_total', { kind: 'peer', outcome: 'not_delivered' })).toBe(1);
    expect(value(after, 'rtm_messages_total', { kind: 'channel', outcome: 'sent' })).toBe(1);
    expect(value(after, 'rtm_request_duration_seconds_count', { event: 'peer:send', outcome: 'ok' })).toBe(4);
    expect(value(after, 'rtm_request_duration_seconds_count', { event: 'channel:join' })).toBe(2);
    expect(value(after, 'rtm_fanout_deliveries_total', { event: 'peer:message' })).toBe(3);
    expect(value(after, 'rtm_fanout_deliveries_total', { event: 'channel:message' })).toBe(1);
    expect(value(after, 'rtm_store_operation_duration_seconds_count', { store: 'memory', part: 'sessions', method: 'claimSession' })).toBe(2);
    expect(value(after, 'rtm_store_operation_duration_seconds_count', { part: 'channels', method: 'append' })).toBe(1);

    // Rate-limit refusals: querying online status is limited to 10 per 5 s.
    let refused = 0;
    for (let i = 0; i < 12; i++) await alice.queryPeersOnlineStatus(['bob']).catch(() => refused++);
    expect(refused).toBeGreaterThan(0);
    const limited = await scrape();
    expect(value(limited, 'rtm_rate_limited_total', { event: 'presence:query' })).toBe(refused);

    // The other server saw none of it.
    const untouched = await scrape(other);
    expect(value(untouched, 'rtm_messages_total')).toBe(0);
    expect(value(untouched, 'rtm_connections')).toBe(0);

    await bob.logout();
    let sessions = 2;
    for (let i = 0; i < 100 && sessions !== 1; i++) {
      await new Promise((r) => setTimeout(r, 20));
      sessions = value(await scrape(), 'rtm_sessions', { app: APP_ID });
    }
    expect(sessions).toBe(1);
  });

  it('counts media bytes of uploads and downloads', async () => {
    const server = await startServer({ port: 0, logger: false, metrics: true });
    servers.push(server);
    const client = AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, logFilter: AgoraRTM.LOG_FILTER_OFF });
    clients.push(client);
    await client.login({ uid: 'alice' });
    const bytes = new Uint8Array(50_000).fill(7);
    const file = await client.createMediaMessageByUploading(new Blob([bytes]), { messageType: 'FILE', fileName: 'a.bin' });
    await client.downloadMedia(file.mediaId);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(value(text, 'rtm_media_bytes_total', { direction: 'upload' })).toBeGreaterThanOrEqual(50_000);
    expect(value(text, 'rtm_media_bytes_total', { direction: 'download' })).toBeGreaterThanOrEqual(50_000);
  });
});
