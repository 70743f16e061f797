import { describe, expect, it } from 'vitest';
import type { RtmClient, Transport } from '@rtm-kit/client';
import { APP_ID, recordStates, waitFor } from './helpers.js';
import { channelInbox, channelLog, manualTransport, sleep, useKit } from './peer-kit.js';

/**
 * Seed 1.1.0: a member whose connection drops and comes back within the grace period receives
 * the channel messages it missed — at most 32, at most 30 s old — each once, in order.
 */
describe('channel message replay after a reconnect', () => {
  const kit = useKit();

  async function roomWithAwayMember(bobTiming: Record<string, number> = {}) {
    const alice = await kit.user('alice');
    const aliceRoom = alice.createChannel('room');
    const aliceLog = channelLog(aliceRoom);
    await aliceRoom.join();
    const net = manualTransport();
    const bob = kit.client({ transport: net.transport, timing: { interruptionMs: 50, ...bobTiming } });
    const states = recordStates(bob);
    await bob.login({ uid: 'bob' });
    const bobRoom = bob.createChannel('room');
    const inbox = channelInbox(bobRoom);
    await bobRoom.join();
    await aliceRoom.sendMessage({ text: 'before' });
    await waitFor(() => inbox.length === 1, 2_000, 'the first message');
    net.drop();
    await waitFor(async () => (await kit.server.core.sessions.get(APP_ID, 'bob'))?.connected === false, 2_000, 'the server to see the drop');
    return { alice, aliceRoom, aliceLog, bob, bobRoom, inbox, net, states };
  }

  const texts = (inbox: Array<{ text: string }>) => inbox.map((m) => m.text);
  const backOnline = (bob: RtmClient) => waitFor(() => bob.connectionState === 'CONNECTED', 3_000, 'CONNECTED again');

  it('replays what was missed, in order, once, before reporting CONNECTED; the others see nobody leave', async () => {
    await kit.start();
    const { aliceRoom, aliceLog, bob, inbox, net, states } = await roomWithAwayMember();
    await waitFor(() => bob.connectionState === 'RECONNECTING', 2_000, 'RECONNECTING');
    for (let i = 1; i <= 5; i++) await aliceRoom.sendMessage({ text: `missed ${i}` });
    let atConnected: string[] = [];
    bob.on('ConnectionStateChanged', (state) => {
      if (state === 'CONNECTED') atConnected = texts(inbox);
    });
    net.reconnect();
    await backOnline(bob);
    expect(states.slice(-2)).toEqual(['RECONNECTING/INTERRUPTED', 'CONNECTED/LOGIN_SUCCESS']);
    expect(atConnected).toEqual(['before', 'missed 1', 'missed 2', 'missed 3', 'missed 4', 'missed 5']);
    await aliceRoom.sendMessage({ text: 'after' });
    await waitFor(() => inbox.length === 7, 2_000, 'the live message');
    expect(texts(inbox)).toEqual(['before', 'missed 1', 'missed 2', 'missed 3', 'missed 4', 'missed 5', 'after']);
    expect(aliceLog.filter((e) => e.startsWith('left:') || e === 'joined:bob')).toEqual(['joined:bob']);
  });

  it('replays at most the 32 newest missed messages', async () => {
    await kit.start();
    const { aliceRoom, bob, inbox, net } = await roomWithAwayMember();
    for (let i = 1; i <= 40; i++) await aliceRoom.sendMessage({ text: `m${i}` });
    net.reconnect();
    await backOnline(bob);
    await waitFor(() => inbox.length === 33, 2_000, '32 replayed messages');
    await sleep(100);
    expect(texts(inbox)).toEqual(['before', ...Array.from({ length: 32 }, (_, i) => `m${i + 9}`)]);
  });

  it('does not replay messages older than channelReplayMs', async () => {
    await kit.start({ timing: { channelReplayMs: 400 } });
    const { aliceRoom, bob, inbox, net } = await roomWithAwayMember();
    await aliceRoom.sendMessage({ text: 'too old' });
    await sleep(500);
    await aliceRoom.sendMessage({ text: 'recent' });
    net.reconnect();
    await backOnline(bob);
    await waitFor(() => inbox.length === 2, 2_000, 'the recent message');
    await sleep(100);
    expect(texts(inbox)).toEqual(['before', 'recent']);
  });

  it('keeps order and drops copies when messages arrive live while the replay is under way', async () => {
    await kit.start();
    const { aliceRoom, bob, inbox, net } = await roomWithAwayMember();
    for (let i = 1; i <= 10; i++) await aliceRoom.sendMessage({ text: `m${i}` });
    net.reconnect();
    // Keep sending while bob comes back: some arrive live, some in the replay, some both ways.
    for (let i = 11; i <= 30; i++) await aliceRoom.sendMessage({ text: `m${i}` });
    await backOnline(bob);
    await waitFor(() => inbox.length === 31, 3_000, 'every message');
    await sleep(100);
    expect(texts(inbox)).toEqual(['before', ...Array.from({ length: 30 }, (_, i) => `m${i + 1}`)]);
  });

  it('leaves on the server a channel left while disconnected', async () => {
    await kit.start();
    const { aliceLog, bob, bobRoom, net } = await roomWithAwayMember();
    await waitFor(() => bob.connectionState === 'RECONNECTING', 2_000, 'RECONNECTING');
    await bobRoom.leave(); // local at once
    expect(await kit.server.core.channels.members(APP_ID, 'room')).toContain('bob');
    net.reconnect();
    await backOnline(bob);
    await waitFor(() => aliceLog.includes('left:bob'), 2_000, 'MemberLeft');
    expect(await kit.server.core.channels.members(APP_ID, 'room')).toEqual(['alice']);
  });

  it('joins again, with no replay, when the session ended during the outage; the others see it leave and come back', async () => {
    await kit.start({ timing: { presenceGraceMs: 300 } });
    const { aliceRoom, aliceLog, bob, bobRoom, inbox, net } = await roomWithAwayMember();
    await waitFor(() => aliceLog.includes('left:bob'), 2_000, 'MemberLeft after the grace period');
    await aliceRoom.sendMessage({ text: 'while bob was not a member' });
    let memberAtConnected: boolean | null = null;
    bob.on('ConnectionStateChanged', (state) => {
      if (state === 'CONNECTED') {
        void kit.server.core.channels.isMember(APP_ID, 'room', 'bob').then((m) => (memberAtConnected = m));
      }
    });
    // Sent while RECONNECTING: waits, and goes out once bob is a member again.
    const aliceInbox = channelInbox(aliceRoom);
    const fromBob = bobRoom.sendMessage({ text: 'sent while away' });
    net.reconnect();
    await backOnline(bob);
    await fromBob;
    await waitFor(() => aliceInbox.length === 1, 2_000, 'bob’s message');
    expect(aliceInbox).toEqual([{ text: 'sent while away', from: 'bob' }]);
    await waitFor(() => memberAtConnected !== null, 2_000, 'the membership check');
    expect(memberAtConnected).toBe(true);
    await waitFor(() => aliceLog.filter((e) => e === 'joined:bob').length === 2, 2_000, 'MemberJoined again');
    expect((await bobRoom.getMembers()).sort()).toEqual(['alice', 'bob']);
    await aliceRoom.sendMessage({ text: 'welcome back' });
    await waitFor(() => inbox.length === 2, 2_000, 'the live message');
    expect(texts(inbox)).toEqual(['before', 'welcome back']);
  });

  it('joins again when restoring the channels gets no answer, so the channel works as before (C1)', async () => {
    await kit.start();
    const alice = await kit.user('alice');
    const aliceRoom = alice.createChannel('room');
    const aliceLog = channelLog(aliceRoom);
    await aliceRoom.join();
    // A connection on which `channel:resume` gets lost, once armed.
    const net = manualTransport();
    let loseResume = false;
    const transport: Transport = (options) => {
      const socket = net.transport(options);
      const emit = socket.emit.bind(socket);
      return Object.assign(socket, {
        emit: (event: string, ...args: unknown[]) => (loseResume && event === 'channel:resume' ? socket : emit(event, ...args)),
      });
    };
    const bob = kit.client({ transport, timing: { interruptionMs: 50, joinTimeoutMs: 300 } });
    await bob.login({ uid: 'bob' });
    const bobRoom = bob.createChannel('room');
    const inbox = channelInbox(bobRoom);
    await bobRoom.join();
    loseResume = true;
    net.drop();
    await waitFor(async () => (await kit.server.core.sessions.get(APP_ID, 'bob'))?.connected === false, 2_000, 'the server to see the drop');
    await waitFor(() => bob.connectionState === 'RECONNECTING', 2_000, 'RECONNECTING');
    net.reconnect();
    await backOnline(bob);
    // The same session, resumed: the restore went through `channel:resume`, which got lost.
    expect((await kit.server.core.sessions.get(APP_ID, 'bob'))?.connected).toBe(true);
    await aliceRoom.sendMessage({ text: 'are you there' });
    await waitFor(() => inbox.length === 1, 2_000, 'the message after the reconnect');
    expect(texts(inbox)).toEqual(['are you there']);
    await bobRoom.sendMessage({ text: 'yes' });
    await waitFor(() => aliceLog.includes('msg:bob:yes'), 2_000, 'bob’s answer');
    expect(aliceLog.filter((e) => e.startsWith('left:') || e === 'joined:bob')).toEqual(['joined:bob']);
    expect((await kit.server.core.channels.members(APP_ID, 'room')).sort()).toEqual(['alice', 'bob']);
  });
});
