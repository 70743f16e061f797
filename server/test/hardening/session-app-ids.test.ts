import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { MemoryStore, startServer, type RtmServer } from '@rtm-kit/server';

const lots = { count: 1_000_000, windowMs: 1_000 };

async function ask(socket: Socket, event: string, payload: unknown): Promise<void> {
  const answer = (await socket.timeout(5_000).emitWithAck(event, payload)) as { ok: boolean; error?: unknown };
  if (!answer.ok) throw new Error(`${event} failed: ${JSON.stringify(answer.error)}`);
}

/** Logs in to a made-up App ID (development mode takes any), touches every per-app part, logs out. */
async function visit(url: string, appId: string): Promise<void> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { v: 1, appId, uid: 'alice', token: null, sessionId: null } });
  try {
    await new Promise((resolve, reject) => {
      socket.once('session:ready', resolve);
      socket.once('connect_error', reject);
    });
    await ask(socket, 'channel:join', { channelId: 'room' });
    await ask(socket, 'attributes:setUser', { attributes: [['mood', 'fine']] });
    await ask(socket, 'attributes:addOrUpdateChannel', { channelId: 'room', attributes: [['topic', 'x']], notify: true });
    await ask(socket, 'attributes:clearChannel', { channelId: 'room', notify: true });
    await ask(socket, 'presence:subscribe', { peers: ['bob'] });
    await ask(socket, 'session:logout', {});
  } finally {
    socket.disconnect();
  }
}

describe('per-App-ID state of the memory store', () => {
  let server: RtmServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('is all gone after users of 1,000 different App IDs logged in and out', async () => {
    const store = new MemoryStore();
    server = await startServer({
      port: 0,
      logger: false,
      store,
      abuse: { connectionsPerAddress: lots, handshakesPerAddress: lots, maxConnectionsPerAddress: 100_000 },
    });
    const appIds = Array.from({ length: 1_000 }, () => randomBytes(16).toString('hex'));
    for (let i = 0; i < appIds.length; i += 25) {
      await Promise.all(appIds.slice(i, i + 25).map((appId) => visit(server!.url, appId)));
    }

    // Presence versions and channel-attribute revisions are one store-wide counter each, so no
    // per-app counter is left behind; everything else goes with the last session of its app.
    expect(store.entryCounts()).toEqual({ sessions: 0, presence: 0, channels: 0, userAttributes: 0, channelAttributes: 0, invitations: 0 });
  });

  it('keeps versions and revisions increasing within an app while other apps come and go', async () => {
    const store = new MemoryStore();
    const [a, b] = ['a'.repeat(32), 'b'.repeat(32)];
    const first = await store.presence.recordPresence(a, 'alice', { kind: 'start', sessionId: 's1', rank: 2 });
    await store.presence.recordPresence(b, 'bob', { kind: 'start', sessionId: 's2', rank: 2 });
    await store.presence.recordPresence(b, 'bob', { kind: 'end', sessionId: 's2' });
    const snapshot = await store.presence.presenceSnapshot(a, ['alice']);
    const second = await store.presence.recordPresence(a, 'alice', { kind: 'end', sessionId: 's1' });
    expect(snapshot.version).toBeGreaterThanOrEqual(first!.version);
    expect(second!.version).toBeGreaterThan(snapshot.version);

    const caps = { maxCount: 32, maxBytes: 32_768 };
    const w1 = await store.channelAttributes.writeChannelAttributes(a, 'room', { kind: 'set', entries: [['k', '1']] }, { uid: 'alice', at: 1 }, caps, null);
    await store.channelAttributes.writeChannelAttributes(b, 'room', { kind: 'set', entries: [['k', '1']] }, { uid: 'bob', at: 2 }, caps, null);
    const w2 = await store.channelAttributes.writeChannelAttributes(a, 'room', { kind: 'clear' }, { uid: 'alice', at: 3 }, caps, null);
    expect(w1.ok && w2.ok && w2.revision > w1.revision).toBe(true);
  });
});
