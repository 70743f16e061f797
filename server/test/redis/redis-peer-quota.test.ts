import { describe, expect, it } from 'vitest';
import { heldMessageBytes, type HeldPeerMessage } from '@rtm-kit/server/core';
import { redisAvailable } from './redis-available.js';
import { keysOf, redisTestStores } from './redis-test-store.js';

const APP = '0123456789abcdef0123456789abcdef';
const OTHER_APP = 'ffffffffffffffffffffffffffffffff';

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
const counted = (size: number) => heldMessageBytes({ message: { type: 'TEXT', text: 'm'.repeat(size) } });
const caps = { maxPerReceiver: 2, maxSenderBytes: 2 * counted(100), maxAppBytes: 3 * counted(100) };

// The memory store's quota tests (hardening/quota-offline.test.ts), against Redis, and what only
// Redis can do: lose a mailbox's keys to their TTL.
describe.runIf(redisAvailable)('RedisStore offline byte quotas', () => {
  const stores = redisTestStores();

  it('counts what a hold evicts before it refuses, so a full mailbox keeps rotating', async () => {
    const { peer } = await stores.make();
    expect(await peer.holdOffline(APP, 'bob', held('m1', 'alice', 100), caps, 0)).toEqual({ ok: true, evicted: 0 });
    expect(await peer.holdOffline(APP, 'bob', held('m2', 'alice', 100), caps, 0)).toEqual({ ok: true, evicted: 0 });
    expect(await peer.holdOffline(APP, 'bob', held('m3', 'alice', 100), caps, 0)).toEqual({ ok: true, evicted: 1 });
    expect(await peer.holdOffline(APP, 'carol', held('c1', 'alice', 100), caps, 0)).toEqual({ ok: false, over: 'sender' });
    expect((await peer.deliverable(APP, 'bob', 's', 0, 10)).map((m) => m.id)).toEqual(['m2', 'm3']);
    expect(await peer.deliverable(APP, 'carol', 's', 0, 10)).toEqual([]);
  });

  it('gives bytes back as messages are removed, expire or go with their session', async () => {
    const { peer } = await stores.make();
    await peer.holdOffline(APP, 'bob', held('m1', 'alice', 100), caps, 0);
    await peer.holdOffline(APP, 'carol', held('m2', 'dave', 100, { expiresAt: 10 }), caps, 0);
    await peer.holdOffline(APP, 'erin', held('m3', 'frank', 100), caps, 0);
    expect(await peer.holdOffline(APP, 'bob', held('m4', 'gina', 100), caps, 0)).toEqual({ ok: false, over: 'app' });
    await peer.remove(APP, 'bob', ['m1']);
    expect(await peer.holdOffline(APP, 'bob', held('m4', 'gina', 100), caps, 0)).toEqual({ ok: true, evicted: 0 });
    expect(await peer.holdOffline(APP, 'zed', held('m5', 'gina', 100), caps, 5)).toEqual({ ok: false, over: 'app' });
    expect(await peer.holdOffline(APP, 'zed', held('m5', 'gina', 100), caps, 10)).toEqual({ ok: true, evicted: 0 });
    await peer.hold(APP, 'bob', held('s1', 'alice', 30_000, { offline: false, sessionId: 'sess' }), 200, 10);
    await peer.dropForSession(APP, 'bob', 'sess');
    expect(await peer.holdOffline(OTHER_APP, 'bob', held('o1', 'alice', 100), caps, 10)).toEqual({ ok: true, evicted: 0 });
  });

  it('keeps the tallies exact when an expired mailbox’s keys are gone before a hold sweeps it', async () => {
    const store = await stores.make();
    const { peer, redis, keys } = store;
    await peer.holdOffline(APP, 'carol', held('m1', 'dave', 100, { expiresAt: 10 }), caps, 0);
    await peer.holdOffline(APP, 'carol', held('m2', 'erin', 100, { expiresAt: 10 }), caps, 0);
    await peer.holdOffline(APP, 'bob', held('m3', 'dave', 100), caps, 0);
    expect(Number(await redis.get(keys.appBytes(APP)))).toBe(3 * counted(100));
    // Carol's mailbox expired and Redis let its keys go (its TTL): only the app-wide records remain.
    const box = keys.mailbox(APP, 'carol');
    await redis.del(`${box}:order`, `${box}:items`, `${box}:bodies`);
    expect(await peer.holdOffline(APP, 'zed', held('m4', 'gina', 100), caps, 10)).toEqual({ ok: true, evicted: 0 });
    expect(Number(await redis.get(keys.appBytes(APP)))).toBe(2 * counted(100));
    expect(await redis.hgetall(keys.senderBytes(APP))).toEqual({ dave: String(counted(100)), gina: String(counted(100)) });
    // Everything acknowledged: the tallies are gone, not left at zero.
    await peer.remove(APP, 'bob', ['m3']);
    await peer.remove(APP, 'zed', ['m4']);
    expect(await keysOf(redis, `${keys.prefix}{${APP}}:peer:`)).toEqual([]);
  });

  it('counts entries as the memory store does: none once everyone logged out', async () => {
    const store = await stores.make();
    const record = { sessionId: 's1', appId: APP, uid: 'u', startedAt: 0, epoch: 1, connected: true, disconnectedAt: null, tokenExpiresAt: null, resumeSecret: 'x' };
    await store.sessions.claimSession(record, 10_000);
    await store.presence.recordPresence(APP, 'u', { kind: 'start', sessionId: 's1', rank: 2 });
    await store.presence.addSubscriptions(APP, 's1', ['v'], 10);
    await store.channels.join(APP, 'room', 'u', 's1', 20);
    await store.userAttributes.openUserAttributes(APP, 'u', 's1');
    expect(await store.entryCounts()).toEqual({ sessions: 1, presence: 2, channels: 2, userAttributes: 1, channelAttributes: 0, invitations: 0 });
    await store.channels.leaveAll(APP, 'u', 's1');
    await store.userAttributes.closeUserAttributes(APP, 'u', 's1');
    await store.presence.clearSubscriptions(APP, 's1');
    await store.presence.recordPresence(APP, 'u', { kind: 'end', sessionId: 's1' });
    await store.sessions.endSession(APP, 'u', 's1', 'LOGOUT', {}, 10_000);
    expect(Object.values(await store.entryCounts()).every((n) => n === 0)).toBe(true);
  });
});
