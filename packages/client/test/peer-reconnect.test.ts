import { describe, expect, it } from 'vitest';
import AgoraRTM, { RtmErrorCode, type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { APP_ID, recordStates, tappedTransport, waitFor } from './helpers.js';
import { channelInbox, peerInbox, useKit } from './peer-kit.js';

const { PeerMessageError, ChannelMessageError } = RtmErrorCode;

describe('the reconnect cache (seed 1.0.1): messages sent while RECONNECTING', () => {
  const kit = useKit();

  it('waits for the connection, then sends: delivered once, in order', async () => {
    await kit.start();
    const bob = await kit.user('bob');
    const inbox = peerInbox(bob);
    const tap = tappedTransport();
    const alice = kit.client({ transport: tap.transport, timing: { interruptionMs: 50, reconnectDelayMs: 800, reconnectDelayMaxMs: 800 } });
    const states = recordStates(alice);
    await alice.login({ uid: 'alice' });
    tap.drop();
    await waitFor(() => alice.connectionState === 'RECONNECTING', 2_000, 'RECONNECTING');
    const sends = ['a', 'b', 'c'].map((text) => alice.sendMessageToPeer({ text }, 'bob'));
    await expect(Promise.all(sends)).resolves.toEqual([{ hasPeerReceived: true }, { hasPeerReceived: true }, { hasPeerReceived: true }]);
    expect(states.slice(-2)).toEqual(['RECONNECTING/INTERRUPTED', 'CONNECTED/LOGIN_SUCCESS']);
    expect(inbox.map((m) => m.text)).toEqual(['a', 'b', 'c']);
  });

  it('delivers a message once when the connection drops after the server had it, before the answer', async () => {
    await kit.start();
    const bob = await kit.user('bob');
    const tap = tappedTransport();
    const alice = kit.client({ transport: tap.transport, timing: { reconnectDelayMs: 200, reconnectDelayMaxMs: 200 } });
    await alice.login({ uid: 'alice' });
    const inbox: string[] = [];
    let dropped = false;
    bob.on('MessageFromPeer', (message) => {
      inbox.push('text' in message ? message.text : '?');
      // The server has m3 and waits for bob's acknowledgement: cut alice off before her answer.
      if (inbox.length === 3 && !dropped) {
        dropped = true;
        tap.drop();
      }
    });
    const sends = Array.from({ length: 6 }, (_, i) => alice.sendMessageToPeer({ text: `m${i + 1}` }, 'bob'));
    const results = await Promise.all(sends);
    expect(dropped).toBe(true);
    expect(tap.sockets[0]?.connected).toBe(true); // the same socket reconnected
    expect(results.every((r) => r.hasPeerReceived)).toBe(true);
    await alice.sendMessageToPeer({ text: 'last' }, 'bob');
    expect(inbox).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'last']);
  });

  it('rejects with PEER_MESSAGE_ERR_TIMEOUT / CHANNEL_MESSAGE_ERR_TIMEOUT when the connection does not come back in time', async () => {
    const server = await kit.start();
    const alice = kit.client({ timing: { interruptionMs: 0, peerMessageTimeoutMs: 700, channelMessageTimeoutMs: 700, reconnectDelayMs: 100 } });
    await alice.login({ uid: 'alice' });
    const room = alice.createChannel('room');
    await room.join();
    await server.close();
    await waitFor(() => alice.connectionState === 'RECONNECTING', 2_000, 'RECONNECTING');
    const started = Date.now();
    await expect(alice.sendMessageToPeer({ text: 'x' }, 'bob')).rejects.toMatchObject({
      code: PeerMessageError.PEER_MESSAGE_ERR_TIMEOUT,
      name: 'RtmTimeoutError',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(650);
    await expect(room.sendMessage({ text: 'x' })).rejects.toMatchObject({ code: ChannelMessageError.CHANNEL_MESSAGE_ERR_TIMEOUT });
  });
});

describe('a server restart with the memory store', () => {
  let first: RtmServer | null = null;
  let second: RtmServer | null = null;
  const clients: RtmClient[] = [];
  const make = (url: string) => {
    const c = AgoraRTM.createInstance(APP_ID, {
      serverUrl: url,
      logFilter: AgoraRTM.LOG_FILTER_OFF,
      timing: { interruptionMs: 0, reconnectDelayMs: 100, reconnectDelayMaxMs: 300 },
    });
    clients.push(c);
    return c;
  };

  it('loses nothing a user was promised: offline messages sent during the outage arrive, channels come back', async () => {
    try {
      first = await startServer({ port: 0, logger: false, store: 'memory' });
      const alice = make(first.url);
      const bob = make(first.url);
      const inbox = peerInbox(bob);
      await alice.login({ uid: 'alice' });
      await bob.login({ uid: 'bob' });
      const aliceRoom = alice.createChannel('room');
      const bobRoom = bob.createChannel('room');
      const roomInbox = channelInbox(bobRoom);
      await aliceRoom.join();
      await bobRoom.join();

      await first.close();
      await waitFor(() => alice.connectionState === 'RECONNECTING' && bob.connectionState === 'RECONNECTING', 3_000, 'both RECONNECTING');
      const peerSend = alice.sendMessageToPeer({ text: 'sent during the outage' }, 'bob', { enableOfflineMessaging: true });
      const channelSend = aliceRoom.sendMessage({ text: 'to the room during the outage' });
      second = await startServer({ port: first.port, logger: false, store: 'memory' });
      await expect(peerSend).resolves.toMatchObject({ hasPeerReceived: expect.any(Boolean) });
      await channelSend;
      await waitFor(() => alice.connectionState === 'CONNECTED' && bob.connectionState === 'CONNECTED', 5_000, 'both back');
      await waitFor(() => inbox.length === 1, 5_000, 'the peer message');
      expect(inbox[0]?.text).toBe('sent during the outage');

      // Both are members again, and the room works.
      const server = second;
      await waitFor(async () => (await server.core.channels.members(APP_ID, 'room')).length === 2, 3_000, 'members back');
      expect((await aliceRoom.getMembers()).sort()).toEqual(['alice', 'bob']);
      await aliceRoom.sendMessage({ text: 'after the restart' });
      await waitFor(() => roomInbox.some((m) => m.text === 'after the restart'), 3_000, 'the channel message');
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
      await first?.close();
      await second?.close();
    }
  });
});
