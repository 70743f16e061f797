import { describe, expect, it } from 'vitest';
import type { HeldPeerMessage, SessionRecord } from '@rtm-kit/server/core';
import { RedisStore } from '../../src/stores/redis/index.js';
import { describeStoreContract } from '../contract/index.js';
import { redisAvailable, redisUrl } from './redis-available.js';
import { keysOf, redisTestStores } from './redis-test-store.js';

const APP = '0123456789abcdef0123456789abcdef';
const NOW = Date.now();
const HOUR = 3_600_000;

function record(uid: string, sessionId: string): SessionRecord {
  return { sessionId, appId: APP, uid, startedAt: NOW, epoch: 1, connected: true, disconnectedAt: null, tokenExpiresAt: null, resumeSecret: `secret-${sessionId}` };
}

function held(id: string, extra: Partial<HeldPeerMessage> = {}): HeldPeerMessage {
  return { id, from: 'alice', message: { type: 'TEXT', text: id }, serverReceivedTs: NOW, offline: true, sessionId: null, expiresAt: NOW + 7 * 24 * HOUR, ...extra };
}

describe.runIf(redisAvailable)('RedisStore', () => {
  const stores = redisTestStores();

  describeStoreContract(stores.make);

  describe('in Redis', () => {
    it('puts every key under the prefix, and every key of an app behind its hash tag', async () => {
      const store = await stores.make();
      await store.sessions.claimSession(record('u:1', 's1'), NOW + HOUR);
      await store.sessions.claimSession(record('u:1', 's2'), NOW + HOUR);
      await store.peer.hold(APP, 'bob{x}', held('m1'), 200, NOW);
      await store.sendLedger.claim(APP, 'alice', 'p:1', NOW, NOW + HOUR);
      await store.channels.join(APP, 'room:1', 'alice', 's2', 20);
      await store.channels.append(APP, 'room:1', 's2', { from: 'alice', message: { type: 'TEXT', text: 'hi' }, serverReceivedTs: NOW }, 32, NOW - 30_000);
      await store.userAttributes.openUserAttributes(APP, 'alice', 's2');
      await store.channelAttributes.writeChannelAttributes(APP, 'room:1', { kind: 'set', entries: [['k', 'v']] }, { uid: 'alice', at: NOW }, { maxCount: 32, maxBytes: 8_192 }, null);
      await store.presence.recordPresence(APP, 'alice', { kind: 'start', sessionId: 's2', rank: 2 });
      await store.presence.addSubscriptions(APP, 's2', ['bob'], 10);
      await store.invitations.createInvitation(invitation('call:1'), 8);
      await store.rateLimits.tryTake('login', `${APP}:alice`, { count: 2, windowMs: 1_000 }, NOW);

      const keys = await keysOf(store.redis, store.keys.prefix);
      const tag = `${store.keys.prefix}{${APP}}:`;
      // Not per app: a session's end is found by its ID alone, the list of apps with mailboxes
      // spans apps, and rate-limit keys are opaque.
      const global = [`${store.keys.prefix}session-ended:`, `${store.keys.prefix}peer:apps`, `${store.keys.prefix}rate:`];
      const perApp = keys.filter((k) => !global.some((g) => k.startsWith(g)));
      expect(keys.length).toBeGreaterThan(perApp.length);
      expect(perApp.length).toBeGreaterThan(15);
      for (const key of perApp) expect(key.startsWith(tag)).toBe(true);
      // Colons in IDs are escaped, braces in IDs come after the app's tag.
      expect(keys).toContain(`${tag}session:u%3A1`);
      expect(keys).toContain(`${tag}peer:box:bob{x}:order`);
      expect(keys).toContain(`${tag}channel:room%3A1:members`);
      expect(() => new RedisStore({ url: redisUrl, keyPrefix: 'a{b}:' })).toThrow(/braces/);
    });

    it('sets TTLs on remembered sessions, held messages, replay buffers, invitations and the id ledger', async () => {
      const store = await stores.make();
      const { redis, keys } = store;
      const ttl = (key: string) => redis.pttl(key);

      await store.sessions.claimSession(record('u', 's1'), NOW + HOUR);
      await store.sessions.claimSession(record('u', 's2'), NOW + HOUR);
      expect(await ttl(keys.endedSession('s1'))).toBeGreaterThan(HOUR - 1_000);
      expect(await ttl(keys.endedSession('s1'))).toBeLessThanOrEqual(HOUR + 60_000);
      expect(await ttl(keys.session(APP, 'u'))).toBe(-1); // live: the core ends it

      await store.peer.holdOffline(APP, 'bob', held('m1'), { maxPerReceiver: 200, maxSenderBytes: 1e6, maxAppBytes: 1e7 }, NOW);
      const week = 7 * 24 * HOUR;
      for (const key of [`${keys.mailbox(APP, 'bob')}:order`, `${keys.mailbox(APP, 'bob')}:items`, `${keys.mailbox(APP, 'bob')}:bodies`]) {
        expect(await ttl(key)).toBeGreaterThan(week - 1_000);
      }
      for (const key of [keys.mailboxes(APP), keys.senderBytes(APP), keys.appBytes(APP), keys.mailboxBytes(APP)]) {
        expect(await ttl(key)).toBeGreaterThan(week - 1_000);
      }

      await store.channels.join(APP, 'room', 'alice', 's2', 20);
      await store.channels.append(APP, 'room', 's2', { from: 'alice', message: { type: 'TEXT', text: 'x' }, serverReceivedTs: NOW }, 32, NOW - 30_000);
      const replay = await ttl(`${keys.channel(APP, 'room')}:replay`);
      expect(replay).toBeGreaterThan(30_000);
      expect(replay).toBeLessThanOrEqual(90_000);

      await store.invitations.createInvitation(invitation('c1'), 8);
      const open = await ttl(keys.invitation(APP, 'c1'));
      expect(open).toBeGreaterThan(0);
      await store.invitations.updateInvitation(APP, 'c1', ['PENDING'], { phase: 'CANCELED', endedAt: NOW });
      const finished = await ttl(keys.invitation(APP, 'c1'));
      expect(finished).toBeGreaterThan(100_000);
      expect(finished).toBeLessThan(open);

      await store.sendLedger.claim(APP, 'alice', 'p:1', NOW, NOW + 120_000);
      expect(await ttl(keys.sendLedger(APP, 'alice', 'p:1'))).toBeGreaterThan(120_000);
      await store.sendLedger.settle(APP, 'alice', 'p:1', { delivered: true }, NOW + 600_000);
      expect(await ttl(keys.sendLedger(APP, 'alice', 'p:1'))).toBeGreaterThan(600_000);
    });

    it('shares state between two stores on one prefix, as two nodes would', async () => {
      const a = await stores.make();
      const b = stores.sibling(a);
      await a.sessions.claimSession(record('u', 's1'), NOW + HOUR);
      expect((await b.sessions.getSession(APP, 'u'))?.sessionId).toBe('s1');
      expect((await b.sessions.claimSession(record('u', 's2'), NOW + HOUR))?.sessionId).toBe('s1');
      expect(await a.sessions.getEndedSession('s1', NOW)).toEqual({ appId: APP, uid: 'u', reason: 'REMOTE_LOGIN' });

      await a.channels.join(APP, 'room', 'alice', 'sa', 20);
      await b.channels.join(APP, 'room', 'bob', 'sb', 20);
      expect((await a.channels.members(APP, 'room')).sort()).toEqual(['alice', 'bob']);
      const raw = { type: 'RAW' as const, raw: new Uint8Array([0, 1, 255]), description: 'bytes' };
      await a.channels.append(APP, 'room', 'sa', { from: 'alice', message: raw, serverReceivedTs: NOW }, 32, NOW - 30_000);
      const missed = await b.channels.missed(APP, 'room', 'bob', 'sb', 0, 0, 32);
      expect(missed).toEqual([{ seq: 1, from: 'alice', message: raw, serverReceivedTs: NOW }]);

      await a.peer.hold(APP, 'bob', held('m1'), 200, NOW);
      expect((await b.peer.deliverable(APP, 'bob', 'sb', NOW, 10)).map((m) => m.id)).toEqual(['m1']);
      expect(await b.sendLedger.claim(APP, 'alice', 'x', NOW, NOW + 1_000)).toEqual({ state: 'new' });
      expect(await a.sendLedger.claim(APP, 'alice', 'x', NOW, NOW + 1_000)).toEqual({ state: 'pending' });
    });

    it('numbers 50 appends racing from two stores 1 to 50, without gaps or repeats', async () => {
      const a = await stores.make();
      const b = stores.sibling(a);
      await a.channels.join(APP, 'room', 'alice', 'sa', 20);
      await b.channels.join(APP, 'room', 'bob', 'sb', 20);
      const seqs = await Promise.all(
        Array.from({ length: 50 }, (_, i) => {
          const [store, uid, sessionId] = i % 2 === 0 ? [a, 'alice', 'sa'] : [b, 'bob', 'sb'];
          return store.channels.append(APP, 'room', sessionId, { from: uid, message: { type: 'TEXT', text: `m${i}` }, serverReceivedTs: NOW }, 100, NOW - 30_000);
        }),
      );
      expect([...seqs].sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      const kept = await a.channels.missed(APP, 'room', 'alice', 'sa', 0, 0, 100);
      expect(kept?.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });

    it('has exactly one winner when two stores claim one user at once', async () => {
      const a = await stores.make();
      const b = stores.sibling(a);
      for (let round = 0; round < 10; round++) {
        const uid = `u${round}`;
        const results = await Promise.all([a.sessions.claimSession(record(uid, `a${round}`), NOW + HOUR), b.sessions.claimSession(record(uid, `b${round}`), NOW + HOUR)]);
        expect(results.filter((r) => r === null)).toHaveLength(1);
        const current = await a.sessions.getSession(APP, uid);
        const loser = results.find((r) => r !== null);
        expect(loser?.sessionId).not.toBe(current?.sessionId);
        expect(await b.sessions.getEndedSession(loser!.sessionId, NOW)).toMatchObject({ reason: 'REMOTE_LOGIN' });
      }
    });

    it('leaves a client it was given open when it closes', async () => {
      const first = await stores.make();
      const store = new RedisStore({ client: first.redis, keyPrefix: first.keys.prefix });
      await store.close();
      await expect(first.ping()).resolves.toBeUndefined();
      expect(store.redis).toBe(first.redis);
    });
  });
});

function invitation(callId: string) {
  return {
    appId: APP,
    callId,
    callerUid: 'alice',
    callerSessionId: 'sa',
    calleeUid: 'bob',
    content: '',
    channelId: '',
    phase: 'PENDING' as const,
    calleeSessionId: null,
    deliveredTo: null,
    response: '',
    callerReason: null,
    calleeReason: null,
    sentAt: NOW,
    endedAt: null,
  };
}
