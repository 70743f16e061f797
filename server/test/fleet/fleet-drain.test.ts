import { afterEach, describe, expect, it } from 'vitest';
import { redisAvailable } from '../redis/redis-available.js';
import { APP_ID, balancer, useFleet } from './fleet-kit.js';

describe.runIf(redisAvailable)('a rolling restart: one node drained', () => {
  const fleet = useFleet();
  let lb: Awaited<ReturnType<typeof balancer>> | null = null;
  afterEach(() => {
    lb?.close();
    lb = null;
  });

  it('hands its clients to another node, where they resume their sessions; close() of the last node ends them', { timeout: 30_000 }, async () => {
    const a = await fleet.node();
    const b = await fleet.node();
    lb = await balancer();
    lb.target.port = a.port;
    const alice = fleet.client(lb.url);
    const states: string[] = [];
    alice.on('ConnectionStateChanged', (state, reason) => states.push(`${state}/${reason}`));
    await alice.login({ uid: 'alice' });
    const room = alice.createChannel('room');
    await room.join();
    const bob = await fleet.user('bob', b);
    const bobRoom = bob.createChannel('room');
    const left: string[] = [];
    bobRoom.on('MemberLeft', (uid) => left.push(uid));
    await bobRoom.join();
    const before = await b.core.sessions.get(APP_ID, 'alice');

    lb.target.port = b.port;
    await a.drain();
    // Alice is back, on b, in the same session, still in the room: nobody saw her leave.
    for (let i = 0; i < 500 && (await b.core.sessions.get(APP_ID, 'alice'))?.epoch === before?.epoch; i++) await new Promise((r) => setTimeout(r, 20));
    const after = await b.core.sessions.get(APP_ID, 'alice');
    expect(after?.sessionId).toBe(before?.sessionId);
    expect(after?.connected).toBe(true);
    const got: string[] = [];
    bobRoom.on('ChannelMessage', (m) => got.push('text' in m ? m.text : ''));
    await room.sendMessage({ text: 'after the drain' });
    for (let i = 0; i < 250 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual(['after the drain']);
    expect(left).toEqual([]);
    expect(states.filter((s) => s.startsWith('ABORTED') || s.startsWith('DISCONNECTED'))).toEqual([]);

    // close() is not a drain: the node takes its sessions with it.
    await b.close();
    const c = await fleet.node();
    expect(await c.core.sessions.get(APP_ID, 'alice')).toBeNull();
    expect(await c.core.channels.members(APP_ID, 'room')).toEqual([]);
  });
});
