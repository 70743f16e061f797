import { describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { createManualClock } from '@rtm-kit/server/testing';
import { APP_ID, tappedTransport, waitFor } from './helpers.js';
import { peerInbox, sleep, useKit } from './peer-kit.js';

const offline = { enableOfflineMessaging: true };

describe('offline messages (1.4.x enableOfflineMessaging, seeds 0.9.3)', () => {
  const kit = useKit();

  it('stores messages for a user who is not logged in and delivers them at login, in order, marked offline, once', async () => {
    await kit.start();
    const alice = await kit.user('alice');
    const before = Date.now();
    for (const text of ['one', 'two', 'three']) {
      await expect(alice.sendMessageToPeer({ text }, 'bob', offline)).resolves.toEqual({ hasPeerReceived: false });
    }
    const bob = kit.client();
    const inbox = peerInbox(bob);
    await bob.login({ uid: 'bob' });
    await waitFor(() => inbox.length === 3, 3_000, 'offline messages');
    expect(inbox.map(({ text, from, offline: isOffline }) => [text, from, isOffline])).toEqual([
      ['one', 'alice', true],
      ['two', 'alice', true],
      ['three', 'alice', true],
    ]);
    expect(inbox.every((m) => m.serverReceivedTs >= before - 5 && m.serverReceivedTs <= Date.now())).toBe(true);

    // Delivered means gone: the next login brings nothing.
    await bob.logout();
    await sleep(520);
    await bob.login({ uid: 'bob' });
    await alice.sendMessageToPeer({ text: 'live' }, 'bob');
    await waitFor(() => inbox.length === 4, 3_000, 'the live message');
    expect(inbox.map((m) => [m.text, m.offline])).toEqual([
      ['one', true],
      ['two', true],
      ['three', true],
      ['live', false],
    ]);
  });

  it('keeps 200 per receiver, the newest evicting the oldest', async () => {
    await kit.start();
    const alice = await kit.user('alice');
    const sends = (from: number, to: number) => Promise.all(Array.from({ length: to - from }, (_, i) => alice.sendMessageToPeer({ text: `m${from + i}` }, 'bob', offline)));
    await sends(0, 180);
    await sleep(3_050); // the message rate: 180 per 3 s
    await sends(180, 205);
    const bob = kit.client();
    const inbox = peerInbox(bob);
    await bob.login({ uid: 'bob' });
    await waitFor(() => inbox.length === 200, 5_000, '200 offline messages');
    await sleep(100);
    expect(inbox.map((m) => m.text)).toEqual(Array.from({ length: 200 }, (_, i) => `m${i + 5}`));
  }, 20_000);

  it('forgets offline messages after offlineMessageTtlMs (7 days, fake clock)', async () => {
    const clock = createManualClock();
    await kit.start({ clock });
    const alice = await kit.user('alice');
    await alice.sendMessageToPeer({ text: 'old' }, 'bob', offline);
    await clock.advance(7 * 24 * 3_600_000 - 1_000);
    await alice.sendMessageToPeer({ text: 'recent' }, 'bob', offline);
    await clock.advance(1_000); // 'old' is exactly 7 days old now
    const bob = kit.client();
    const inbox = peerInbox(bob);
    await bob.login({ uid: 'bob' });
    await waitFor(() => inbox.length === 1, 3_000, 'the recent message');
    await sleep(100);
    expect(inbox.map((m) => m.text)).toEqual(['recent']);
  });

  it('removes a stored message only once the receiving client has it', async () => {
    await kit.start();
    const alice = await kit.user('alice');
    await alice.sendMessageToPeer({ text: 'precious' }, 'bob', offline);
    // A connection that fetches and vanishes before acknowledging (the next fetch would).
    const raw = io(kit.server.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { v: 1, appId: APP_ID, uid: 'bob', token: null, sessionId: null } });
    await new Promise((resolve) => raw.once('session:ready', resolve));
    const fetched = await raw.timeout(3_000).emitWithAck('peer:fetch', { ack: [] });
    expect(fetched.data.messages).toHaveLength(1);
    raw.disconnect();
    await sleep(600); // the login rate: 2 per second per user

    const bob = kit.client();
    const inbox = peerInbox(bob);
    await bob.login({ uid: 'bob' });
    await waitFor(() => inbox.length === 1, 3_000, 'the message again');
    expect(inbox[0]).toMatchObject({ text: 'precious', offline: true });
  });

  it('reports offline messages before live ones that arrive during the login', async () => {
    await kit.start();
    const alice = await kit.user('alice');
    for (let i = 0; i < 20; i++) await alice.sendMessageToPeer({ text: `stored ${i}` }, 'bob', offline);
    const bob = kit.client();
    const inbox = peerInbox(bob);
    await bob.login({ uid: 'bob' });
    await Promise.all(Array.from({ length: 5 }, (_, i) => alice.sendMessageToPeer({ text: `live ${i}` }, 'bob', offline)));
    await waitFor(() => inbox.length === 25, 3_000, 'all messages');
    expect(inbox.map((m) => m.text)).toEqual([...Array.from({ length: 20 }, (_, i) => `stored ${i}`), ...Array.from({ length: 5 }, (_, i) => `live ${i}`)]);
    expect(inbox.map((m) => m.offline)).toEqual([...Array<boolean>(20).fill(true), ...Array<boolean>(5).fill(false)]);
  });
});

describe('peer messages to a user whose connection is gone (grace period)', () => {
  const kit = useKit();

  it('holds them for the session and delivers them when it resumes: offline ones marked offline', async () => {
    await kit.start();
    const alice = await kit.user('alice');
    const tap = tappedTransport();
    const bob = kit.client({ transport: tap.transport, timing: { reconnectDelayMs: 1_000, reconnectDelayMaxMs: 1_000 } });
    const inbox = peerInbox(bob);
    await bob.login({ uid: 'bob' });
    const sessionId = (await kit.server.core.sessions.get(APP_ID, 'bob'))?.sessionId;
    tap.drop();
    await waitFor(async () => (await kit.server.core.sessions.get(APP_ID, 'bob'))?.connected === false, 2_000, 'the drop');
    await expect(alice.sendMessageToPeer({ text: 'while away' }, 'bob')).resolves.toEqual({ hasPeerReceived: false });
    await expect(alice.sendMessageToPeer({ text: 'stored' }, 'bob', offline)).resolves.toEqual({ hasPeerReceived: false });
    await waitFor(() => inbox.length === 2, 4_000, 'held messages after the resume');
    expect((await kit.server.core.sessions.get(APP_ID, 'bob'))?.sessionId).toBe(sessionId);
    expect(inbox.map((m) => [m.text, m.offline])).toEqual([
      ['while away', false],
      ['stored', true],
    ]);
  });

  it('drops the held ones when the grace period ends, keeping offline ones for the next login (fake clock)', async () => {
    const clock = createManualClock();
    await kit.start({ clock });
    const alice = await kit.user('alice');
    const tap = tappedTransport();
    const bob = kit.client({ transport: tap.transport, timing: { interruptionMs: 0, reconnectDelayMs: 60_000, reconnectDelayMaxMs: 60_000 } });
    const inbox = peerInbox(bob);
    await bob.login({ uid: 'bob' });
    tap.drop();
    await waitFor(async () => (await kit.server.core.sessions.get(APP_ID, 'bob'))?.connected === false, 2_000, 'the drop');
    await alice.sendMessageToPeer({ text: 'lost with the session' }, 'bob');
    await alice.sendMessageToPeer({ text: 'kept' }, 'bob', offline);
    await clock.advance(30_000);
    expect(await kit.server.core.sessions.get(APP_ID, 'bob')).toBeNull();
    await bob.logout();
    await sleep(520); // the client allows a login every 500 ms
    await bob.login({ uid: 'bob' });
    await waitFor(() => inbox.length === 1, 3_000, 'the offline message');
    await sleep(100);
    expect(inbox.map((m) => [m.text, m.offline])).toEqual([['kept', true]]);
  });
});
