import { afterEach, describe, expect, it } from 'vitest';
import AgoraRTM, { type RtmClient } from '@rtm-kit/client';
import { MemoryStore, startServer, type RtmServer, type ServerOptions } from '@rtm-kit/server';
import { HELD_MESSAGE_OVERHEAD_BYTES, type HeldPeerMessage } from '../../src/core/peer/peer-store.js';

const APP_ID = '0123456789abcdef0123456789abcdef';
const OTHER_APP_ID = 'abcdefabcdefabcdefabcdefabcdef01';
const offline = { enableOfflineMessaging: true };
/** What one offline text of `n` ASCII characters counts against the byte quotas. */
const counted = (n: number) => n + HELD_MESSAGE_OVERHEAD_BYTES;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('offline-message quotas, through the real client', () => {
  let server: RtmServer;
  const clients: RtmClient[] = [];
  const start = async (options: ServerOptions) => {
    server = await startServer({ port: 0, logger: false, ...options });
  };
  const client = (appId = APP_ID) => {
    const c = AgoraRTM.createInstance(appId, { serverUrl: server.url, logFilter: AgoraRTM.LOG_FILTER_OFF });
    clients.push(c);
    return c;
  };
  const user = async (uid: string, appId = APP_ID) => {
    const c = client(appId);
    await c.login({ uid });
    return c;
  };
  /** Logs `uid` in and collects the texts it receives until `count` arrived. */
  const inboxOf = async (uid: string, count: number): Promise<Array<[string, string, boolean]>> => {
    const c = client();
    const inbox: Array<[string, string, boolean]> = [];
    c.on('MessageFromPeer', (message, from, props) => inbox.push(['text' in message ? message.text : '', from, props.isOfflineMessage]));
    await c.login({ uid });
    for (let i = 0; i < 300 && inbox.length < count; i++) await sleep(10);
    await sleep(50); // nothing more arrives
    return inbox;
  };

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
    await server.close();
  });

  it('keeps the new-receivers budget across a re-login: it belongs to the user, not the session', async () => {
    await start({ limits: { offlineReceiversRate: { count: 3, windowMs: 60_000 }, loginRate: { count: 10, windowMs: 1_000 } } });
    const alice = await user('alice');
    for (const peer of ['u1', 'u2', 'u3']) await expect(alice.sendMessageToPeer({ text: 'hi' }, peer, offline)).resolves.toEqual({ hasPeerReceived: false });
    await expect(alice.sendMessageToPeer({ text: 'hi' }, 'u4', offline)).rejects.toMatchObject({ code: 5, codeName: 'PEER_MESSAGE_ERR_TOO_OFTEN' });

    await alice.logout();
    await sleep(520); // the client's own spacing of logins (§10.5)
    await alice.login({ uid: 'alice' });
    await expect(alice.sendMessageToPeer({ text: 'hi' }, 'u5', offline)).rejects.toMatchObject({
      code: 5,
      message: expect.stringContaining('Offline messages to receivers that are not online'),
    });
    // A new login as another instance of the same user is the same user too.
    const again = await user('alice');
    await expect(again.sendMessageToPeer({ text: 'hi' }, 'u6', offline)).rejects.toMatchObject({ code: 5 });
    // Receivers already counted in the window are still open.
    await expect(again.sendMessageToPeer({ text: 'again' }, 'u1', offline)).resolves.toEqual({ hasPeerReceived: false });
  });

  it('caps the offline bytes one sender has stored: TOO_OFTEN (5), earlier messages intact, bytes back once fetched', async () => {
    await start({ limits: { offlineBytesPerSender: 3 * counted(1_000) } });
    const alice = await user('alice');
    const texts = ['a', 'b', 'c'].map((c) => c.repeat(1_000));
    await alice.sendMessageToPeer({ text: texts[0]! }, 'bob', offline);
    await alice.sendMessageToPeer({ text: texts[1]! }, 'carol', offline);
    await alice.sendMessageToPeer({ text: texts[2]! }, 'bob', offline);
    // Any receiver: the budget is the sender's.
    for (const peer of ['bob', 'carol', 'dave']) {
      await expect(alice.sendMessageToPeer({ text: 'd'.repeat(1_000) }, peer, offline)).rejects.toMatchObject({
        code: 5,
        codeName: 'PEER_MESSAGE_ERR_TOO_OFTEN',
        message: expect.stringContaining(`limited to ${3 * counted(1_000)} bytes`),
      });
    }
    // Others still have their own budget.
    const erin = await user('erin');
    await expect(erin.sendMessageToPeer({ text: 'from erin' }, 'bob', offline)).resolves.toEqual({ hasPeerReceived: false });

    expect(await inboxOf('bob', 3)).toEqual([
      [texts[0], 'alice', true],
      [texts[2], 'alice', true],
      ['from erin', 'erin', true],
    ]);
    // Bob fetched two of alice's: room for two again, not three.
    await expect(alice.sendMessageToPeer({ text: 'e'.repeat(1_000) }, 'dave', offline)).resolves.toEqual({ hasPeerReceived: false });
    await expect(alice.sendMessageToPeer({ text: 'f'.repeat(1_000) }, 'dave', offline)).resolves.toEqual({ hasPeerReceived: false });
    await expect(alice.sendMessageToPeer({ text: 'g'.repeat(1_000) }, 'dave', offline)).rejects.toMatchObject({ code: 5 });
    expect(await inboxOf('carol', 1)).toEqual([[texts[1], 'alice', true]]);
  });

  it('caps the offline bytes of a whole app: FAILURE (1), earlier messages intact, other apps unaffected', async () => {
    await start({ limits: { offlineBytesPerApp: 2 * counted(500) } });
    const alice = await user('alice');
    const carol = await user('carol');
    await expect(alice.sendMessageToPeer({ text: 'x'.repeat(500) }, 'bob', offline)).resolves.toEqual({ hasPeerReceived: false });
    await expect(carol.sendMessageToPeer({ text: 'y'.repeat(500) }, 'bob', offline)).resolves.toEqual({ hasPeerReceived: false });
    const dave = await user('dave');
    await expect(dave.sendMessageToPeer({ text: 'z' }, 'bob', offline)).rejects.toMatchObject({
      code: 1,
      codeName: 'PEER_MESSAGE_ERR_FAILURE',
      message: expect.stringContaining(`offline messages for this app as it may (${2 * counted(500)} bytes)`),
    });
    // Live messages are not stored, so the cap does not touch them.
    const eve = await user('eve');
    await expect(dave.sendMessageToPeer({ text: 'live' }, 'eve')).resolves.toEqual({ hasPeerReceived: true });
    await eve.logout();
    // The same uids in another app have that app's own budget.
    const otherAlice = await user('alice', OTHER_APP_ID);
    await expect(otherAlice.sendMessageToPeer({ text: 'x'.repeat(500) }, 'bob', offline)).resolves.toEqual({ hasPeerReceived: false });

    expect(await inboxOf('bob', 2)).toEqual([
      ['x'.repeat(500), 'alice', true],
      ['y'.repeat(500), 'carol', true],
    ]);
    await expect(dave.sendMessageToPeer({ text: 'z' }, 'frank', offline)).resolves.toEqual({ hasPeerReceived: false });
  });
});

describe('offline byte quotas in the memory store', () => {
  const held = (id: string, from: string, size: number, extra: Partial<HeldPeerMessage> = {}): HeldPeerMessage => ({
    id,
    from,
    message: { type: 'TEXT', text: 'm'.repeat(size) },
    serverReceivedTs: 0,
    offline: true,
    sessionId: null,
    expiresAt: 1_000,
    ...extra,
  });
  const caps = { maxPerReceiver: 2, maxSenderBytes: 2 * counted(100), maxAppBytes: 3 * counted(100) };

  it('counts what a hold evicts before it refuses, so a full mailbox keeps rotating', async () => {
    const { peer } = new MemoryStore();
    expect(await peer.holdOffline(APP_ID, 'bob', held('m1', 'alice', 100), caps, 0)).toEqual({ ok: true, evicted: 0 });
    expect(await peer.holdOffline(APP_ID, 'bob', held('m2', 'alice', 100), caps, 0)).toEqual({ ok: true, evicted: 0 });
    // Alice is at her cap, but m3 evicts m1, one of hers.
    expect(await peer.holdOffline(APP_ID, 'bob', held('m3', 'alice', 100), caps, 0)).toEqual({ ok: true, evicted: 1 });
    // To another receiver nothing of hers is evicted: refused, and nothing changes.
    expect(await peer.holdOffline(APP_ID, 'carol', held('c1', 'alice', 100), caps, 0)).toEqual({ ok: false, over: 'sender' });
    expect((await peer.deliverable(APP_ID, 'bob', 's', 0, 10)).map((m) => m.id)).toEqual(['m2', 'm3']);
    expect(await peer.deliverable(APP_ID, 'carol', 's', 0, 10)).toEqual([]);
  });

  it('gives bytes back as messages are removed, expire or go with their session', async () => {
    const { peer } = new MemoryStore();
    await peer.holdOffline(APP_ID, 'bob', held('m1', 'alice', 100), caps, 0);
    await peer.holdOffline(APP_ID, 'carol', held('m2', 'dave', 100, { expiresAt: 10 }), caps, 0);
    await peer.holdOffline(APP_ID, 'erin', held('m3', 'frank', 100), caps, 0);
    expect(await peer.holdOffline(APP_ID, 'bob', held('m4', 'gina', 100), caps, 0)).toEqual({ ok: false, over: 'app' });
    await peer.remove(APP_ID, 'bob', ['m1']);
    expect(await peer.holdOffline(APP_ID, 'bob', held('m4', 'gina', 100), caps, 0)).toEqual({ ok: true, evicted: 0 });
    expect(await peer.holdOffline(APP_ID, 'zed', held('m5', 'gina', 100), caps, 5)).toEqual({ ok: false, over: 'app' });
    // At 10 dave's message to carol expired, and a hold for anyone lets it go.
    expect(await peer.holdOffline(APP_ID, 'zed', held('m5', 'gina', 100), caps, 10)).toEqual({ ok: true, evicted: 0 });
    // Messages held for a session (not offline) count for nothing.
    await peer.hold(APP_ID, 'bob', held('s1', 'alice', 30_000, { offline: false, sessionId: 'sess' }), 200, 10);
    await peer.dropForSession(APP_ID, 'bob', 'sess');
    expect(await peer.holdOffline(OTHER_APP_ID, 'bob', held('o1', 'alice', 100), caps, 10)).toEqual({ ok: true, evicted: 0 });
  });
});
