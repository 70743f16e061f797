import { describe, expect, it } from 'vitest';
import type { HeldPeerMessage, Store } from '@rtm-kit/server/core';

const APP = '0123456789abcdef0123456789abcdef';
const OTHER_APP = 'ffffffffffffffffffffffffffffffff';

function held(id: string, extra: Partial<HeldPeerMessage> = {}): HeldPeerMessage {
  return {
    id,
    from: 'alice',
    message: { type: 'TEXT', text: `text of ${id}` },
    serverReceivedTs: 0,
    offline: true,
    sessionId: null,
    expiresAt: 1_000,
    ...extra,
  };
}

const ids = (messages: readonly HeldPeerMessage[]) => messages.map((m) => m.id);

/** What every PeerStore and SendLedgerStore must do; run by each store implementation's test. */
export function describePeerStoreContract(makeStore: () => Promise<Store>): void {
  describe('peer mailboxes', () => {
    it('keeps held messages per receiver, oldest first, with their content', async () => {
      const { peer } = await makeStore();
      await peer.hold(APP, 'bob', held('m1'), 200, 0);
      await peer.hold(APP, 'bob', held('m2', { message: { type: 'RAW', raw: new Uint8Array([1, 2, 3]), description: 'd' } }), 200, 0);
      await peer.hold(APP, 'carol', held('c1'), 200, 0);
      const bobs = await peer.deliverable(APP, 'bob', 's1', 0, 10);
      expect(ids(bobs)).toEqual(['m1', 'm2']);
      expect(bobs[1]?.message).toMatchObject({ type: 'RAW', description: 'd' });
      expect([...((bobs[1]?.message as { raw: Uint8Array }).raw ?? [])]).toEqual([1, 2, 3]);
      expect(ids(await peer.deliverable(APP, 'carol', 's2', 0, 10))).toEqual(['c1']);
      expect(await peer.deliverable(OTHER_APP, 'bob', 's1', 0, 10)).toEqual([]);
    });

    it('tells at once, when it can, whether a session has anything deliverable', async () => {
      const { peer } = await makeStore();
      if (!peer.holdsNow) return;
      expect(peer.holdsNow(APP, 'bob', 's1', 0)).toBe(false);
      await peer.hold(APP, 'bob', held('m1', { offline: false, sessionId: 's1' }), 200, 0);
      expect(peer.holdsNow(APP, 'bob', 's1', 0)).toBe(true);
      expect(peer.holdsNow(APP, 'bob', 's2', 0)).toBe(false);
      expect(peer.holdsNow(APP, 'bob', 's1', 1_000)).toBe(false);
      await peer.hold(APP, 'bob', held('m2'), 200, 0);
      expect(peer.holdsNow(APP, 'bob', 's2', 0)).toBe(true);
      expect(peer.holdsNow(OTHER_APP, 'bob', 's2', 0)).toBe(false);
      await peer.remove(APP, 'bob', ['m1', 'm2']);
      expect(peer.holdsNow(APP, 'bob', 's1', 0)).toBe(false);
    });

    it('evicts the oldest when a receiver holds more than the limit, and says how many', async () => {
      const { peer } = await makeStore();
      for (let i = 1; i <= 3; i++) expect(await peer.hold(APP, 'bob', held(`m${i}`), 3, 0)).toBe(0);
      expect(await peer.hold(APP, 'bob', held('m4'), 3, 0)).toBe(1);
      expect(ids(await peer.deliverable(APP, 'bob', 's', 0, 10))).toEqual(['m2', 'm3', 'm4']);
    });

    it('answers at most `max`, and removes only acknowledged ids', async () => {
      const { peer } = await makeStore();
      for (let i = 1; i <= 5; i++) await peer.hold(APP, 'bob', held(`m${i}`), 200, 0);
      expect(ids(await peer.deliverable(APP, 'bob', 's', 0, 2))).toEqual(['m1', 'm2']);
      expect(await peer.remove(APP, 'bob', ['m1', 'm2', 'unknown'])).toBe(2);
      expect(ids(await peer.deliverable(APP, 'bob', 's', 0, 10))).toEqual(['m3', 'm4', 'm5']);
      expect(await peer.remove(APP, 'nobody', ['m3'])).toBe(0);
    });

    it('drops expired messages', async () => {
      const { peer } = await makeStore();
      await peer.hold(APP, 'bob', held('old', { expiresAt: 100 }), 200, 0);
      await peer.hold(APP, 'bob', held('new', { expiresAt: 200 }), 200, 0);
      expect(ids(await peer.deliverable(APP, 'bob', 's', 99, 10))).toEqual(['old', 'new']);
      expect(ids(await peer.deliverable(APP, 'bob', 's', 100, 10))).toEqual(['new']);
      expect(ids(await peer.deliverable(APP, 'bob', 's', 99, 10))).toEqual(['new']);
    });

    it('lets expired mailboxes go without their receiver: a hold for anyone removes them', async () => {
      const { peer } = await makeStore();
      // Every message lives 100 from when it is held (the service's offlineMessageTtlMs).
      const at = (id: string, now: number) => held(id, { serverReceivedTs: now, expiresAt: now + 100 });
      await peer.hold(APP, 'ghost', at('g1', 0), 200, 0);
      await peer.hold(OTHER_APP, 'other', at('o1', 10), 200, 10);
      await peer.hold(APP, 'ghost', at('g2', 20), 200, 20);
      await peer.hold(APP, 'later', at('l1', 50), 200, 50);
      // At 140, ghost's and other's messages have all expired; later's has not.
      await peer.hold(APP, 'writer', at('w1', 140), 200, 140);
      // Asked about an earlier time, a message still kept would be deliverable: these are gone.
      expect(await peer.deliverable(APP, 'ghost', 's', 0, 10)).toEqual([]);
      expect(await peer.deliverable(OTHER_APP, 'other', 's', 0, 10)).toEqual([]);
      expect(ids(await peer.deliverable(APP, 'later', 's', 0, 10))).toEqual(['l1']);
      expect(ids(await peer.deliverable(APP, 'writer', 's', 0, 10))).toEqual(['w1']);
    });

    it('drops a receiver’s expired messages before evicting live ones', async () => {
      const { peer } = await makeStore();
      await peer.hold(APP, 'bob', held('old1', { expiresAt: 100 }), 2, 0);
      await peer.hold(APP, 'bob', held('live', { expiresAt: 300 }), 2, 0);
      await peer.hold(APP, 'bob', held('old2', { expiresAt: 100 }), 2, 0);
      expect(await peer.hold(APP, 'bob', held('new', { expiresAt: 400 }), 2, 100)).toBe(0);
      expect(ids(await peer.deliverable(APP, 'bob', 's', 0, 10))).toEqual(['live', 'new']);
    });

    it('gives messages held for a session to that session only, and drops them when it ends', async () => {
      const { peer } = await makeStore();
      await peer.hold(APP, 'bob', held('bound', { offline: false, sessionId: 's1' }), 200, 0);
      await peer.hold(APP, 'bob', held('offline'), 200, 0);
      await peer.hold(APP, 'bob', held('bound2', { offline: false, sessionId: 's1' }), 200, 0);
      expect(ids(await peer.deliverable(APP, 'bob', 's1', 0, 10))).toEqual(['bound', 'offline', 'bound2']);
      await peer.dropForSession(APP, 'bob', 's1');
      expect(ids(await peer.deliverable(APP, 'bob', 's1', 0, 10))).toEqual(['offline']);

      await peer.hold(APP, 'bob', held('stale', { offline: false, sessionId: 's1' }), 200, 0);
      // A newer session never sees it, and it is gone afterwards.
      expect(ids(await peer.deliverable(APP, 'bob', 's2', 0, 10))).toEqual(['offline']);
      expect(ids(await peer.deliverable(APP, 'bob', 's1', 0, 10))).toEqual(['offline']);
    });
  });

  describe('send ledger', () => {
    it('says new, then pending, then done with the recorded outcome', async () => {
      const { sendLedger } = await makeStore();
      expect(await sendLedger.claim(APP, 'alice', 'p:1', 0, 100)).toEqual({ state: 'new' });
      expect(await sendLedger.claim(APP, 'alice', 'p:1', 1, 100)).toEqual({ state: 'pending' });
      await sendLedger.settle(APP, 'alice', 'p:1', { delivered: true }, 100);
      expect(await sendLedger.claim(APP, 'alice', 'p:1', 2, 100)).toEqual({ state: 'done', outcome: { delivered: true } });
    });

    it('keeps senders and apps apart', async () => {
      const { sendLedger } = await makeStore();
      await sendLedger.claim(APP, 'alice', 'x', 0, 100);
      expect(await sendLedger.claim(APP, 'bob', 'x', 0, 100)).toEqual({ state: 'new' });
      expect(await sendLedger.claim(OTHER_APP, 'alice', 'x', 0, 100)).toEqual({ state: 'new' });
    });

    it('forgets released ids and ids past their time', async () => {
      const { sendLedger } = await makeStore();
      await sendLedger.claim(APP, 'alice', 'a', 0, 100);
      await sendLedger.release(APP, 'alice', 'a');
      expect(await sendLedger.claim(APP, 'alice', 'a', 1, 100)).toEqual({ state: 'new' });
      await sendLedger.settle(APP, 'alice', 'a', { delivered: false }, 100);
      expect(await sendLedger.claim(APP, 'alice', 'a', 99, 150)).toMatchObject({ state: 'done' });
      expect(await sendLedger.claim(APP, 'alice', 'a', 100, 200)).toEqual({ state: 'new' });
    });

    it('keeps every id of a busy sender with its outcome until its time, then forgets them all', async () => {
      const { sendLedger } = await makeStore();
      for (let i = 0; i < 200; i++) {
        expect(await sendLedger.claim(APP, 'carol', `m${i}`, i, i + 1_000)).toEqual({ state: 'new' });
        // Settled later than claimed, with a later time: every other one, as answers come back.
        if (i % 2 === 0) await sendLedger.settle(APP, 'carol', `m${i}`, { delivered: i % 4 === 0 }, i + 1_500);
      }
      for (let i = 0; i < 200; i++) {
        const expected = i % 2 === 0 ? { state: 'done', outcome: { delivered: i % 4 === 0 } } : { state: 'pending' };
        expect(await sendLedger.claim(APP, 'carol', `m${i}`, 999, 1_999)).toEqual(expected);
      }
      for (let i = 0; i < 200; i += 2) {
        expect(await sendLedger.claim(APP, 'carol', `m${i}`, i + 1_499, i + 2_499)).toEqual({ state: 'done', outcome: { delivered: i % 4 === 0 } });
      }
      for (let i = 0; i < 200; i++) expect(await sendLedger.claim(APP, 'carol', `m${i}`, 2_600, 3_600)).toEqual({ state: 'new' });
    });

    it('forgets an id past its time even when an id claimed before it lives longer', async () => {
      const { sendLedger } = await makeStore();
      await sendLedger.claim(APP, 'dave', 'first', 0, 1_000);
      // Settled late, so it is kept long after the one claimed next.
      await sendLedger.claim(APP, 'dave', 'second', 10, 1_010);
      await sendLedger.settle(APP, 'dave', 'first', { delivered: true }, 5_000);
      await sendLedger.settle(APP, 'dave', 'second', { delivered: true }, 1_100);
      expect(await sendLedger.claim(APP, 'dave', 'second', 2_000, 3_000)).toEqual({ state: 'new' });
      expect(await sendLedger.claim(APP, 'dave', 'first', 2_000, 3_000)).toEqual({ state: 'done', outcome: { delivered: true } });
    });

    it('has exactly one winner when one id is claimed twice at once', async () => {
      const { sendLedger } = await makeStore();
      const claims = await Promise.all([sendLedger.claim(APP, 'alice', 'race', 0, 100), sendLedger.claim(APP, 'alice', 'race', 0, 100)]);
      expect(claims.filter((c) => c.state === 'new')).toHaveLength(1);
    });
  });
}
