import { afterEach, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { DEFAULT_LIMITS, resolveLimits, type Limits, type SessionReady } from '@rtm-kit/protocol';
import { startServer, type RtmServer } from '@rtm-kit/server';

const APP_ID = '0123456789abcdef0123456789abcdef';

describe('session:ready', () => {
  let server: RtmServer | null = null;
  let socket: Socket | null = null;

  afterEach(async () => {
    socket?.disconnect();
    await server?.close();
    server = null;
    socket = null;
  });

  async function ready(limits?: Partial<Limits>): Promise<SessionReady> {
    server = await startServer({ port: 0, logger: false, ...(limits ? { limits } : {}) });
    socket = io(server.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { v: 1, appId: APP_ID, uid: 'alice', token: null, sessionId: null },
    });
    const s = socket;
    return new Promise<SessionReady>((resolve, reject) => {
      s.once('session:ready', resolve);
      s.once('connect_error', reject);
    });
  }

  it('carries no limits from a server with the default ones: the client keeps the defaults', async () => {
    const info = await ready();
    expect(info.limits).toEqual({});
    expect(resolveLimits(info.limits)).toEqual(DEFAULT_LIMITS);
  });

  it('says whether peer messages are held for the connection, so the client can skip its first fetch', async () => {
    const info = await ready();
    expect(info.heldPeerMessages).toBe(false);
    const sent = await socket!.timeout(3_000).emitWithAck('peer:send', { id: 'message-1', peerId: 'bob', message: { type: 'TEXT', text: 'hi' }, offline: true });
    expect(sent).toMatchObject({ ok: true, data: { hasPeerReceived: false } });
    const bob = io(server!.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { v: 1, appId: APP_ID, uid: 'bob', token: null, sessionId: null },
    });
    try {
      const bobs = await new Promise<SessionReady>((resolve, reject) => {
        bob.once('session:ready', resolve);
        bob.once('connect_error', reject);
      });
      expect(bobs.heldPeerMessages).toBe(true);
    } finally {
      bob.disconnect();
    }
  });

  it('carries only the limits a server changed, which the client lays over the defaults', async () => {
    const info = await ready({ messageMaxBytes: 16 * 1024, getMembersRate: { count: 9, windowMs: 2_000 }, idMaxLength: DEFAULT_LIMITS.idMaxLength });
    expect(info.limits).toEqual({ messageMaxBytes: 16 * 1024, getMembersRate: { count: 9, windowMs: 2_000 } });
    expect(resolveLimits(info.limits)).toEqual(server!.core.limits);
  });
});
