import { describe, expect, it } from 'vitest';
import type { Store } from '@rtm-kit/server/core';

const APP = '0123456789abcdef0123456789abcdef';

/** What every PresenceStore must do. */
export function describePresenceStoreContract(makeStore: () => Promise<Store>): void {
  describe('presence', () => {
    it('follows a session: start ONLINE, drop UNREACHABLE, resume ONLINE, end OFFLINE, each with a higher version', async () => {
      const { presence: s } = await makeStore();
      const a = await s.recordPresence(APP, 'u', { kind: 'start', sessionId: 's1', rank: 2 });
      const b = await s.recordPresence(APP, 'u', { kind: 'connection', sessionId: 's1', rank: 3, state: 'UNREACHABLE' });
      const c = await s.recordPresence(APP, 'u', { kind: 'connection', sessionId: 's1', rank: 4, state: 'ONLINE' });
      const d = await s.recordPresence(APP, 'u', { kind: 'end', sessionId: 's1' });
      expect([a, b, c, d].map((x) => x?.state)).toEqual(['ONLINE', 'UNREACHABLE', 'ONLINE', 'OFFLINE']);
      const versions = [a, b, c, d].map((x) => x?.version ?? 0);
      expect([...versions].sort((x, y) => x - y)).toEqual(versions);
      expect(new Set(versions).size).toBe(4);
    });

    it('ignores steps that arrive late or concern another session', async () => {
      const { presence: s } = await makeStore();
      await s.recordPresence(APP, 'u', { kind: 'start', sessionId: 's1', rank: 2 });
      // The resume (rank 4) overtook the drop (rank 3) that preceded it.
      expect(await s.recordPresence(APP, 'u', { kind: 'connection', sessionId: 's1', rank: 4, state: 'ONLINE' })).toBeNull();
      expect(await s.recordPresence(APP, 'u', { kind: 'connection', sessionId: 's1', rank: 3, state: 'UNREACHABLE' })).toBeNull();
      expect((await s.presenceSnapshot(APP, ['u'])).peers).toEqual([{ uid: 'u', state: 'ONLINE' }]);
      // A remote login: the new session is the user's; the old one's end changes nothing.
      await s.recordPresence(APP, 'u', { kind: 'start', sessionId: 's2', rank: 2 });
      expect(await s.recordPresence(APP, 'u', { kind: 'end', sessionId: 's1' })).toBeNull();
      expect(await s.recordPresence(APP, 'u', { kind: 'connection', sessionId: 's1', rank: 9, state: 'UNREACHABLE' })).toBeNull();
      expect((await s.presenceSnapshot(APP, ['u'])).peers).toEqual([{ uid: 'u', state: 'ONLINE' }]);
      // After the end, a late drop of the same session does not bring it back.
      await s.recordPresence(APP, 'u', { kind: 'end', sessionId: 's2' });
      expect(await s.recordPresence(APP, 'u', { kind: 'connection', sessionId: 's2', rank: 3, state: 'UNREACHABLE' })).toBeNull();
      expect((await s.presenceSnapshot(APP, ['u'])).peers).toEqual([{ uid: 'u', state: 'OFFLINE' }]);
    });

    it('orders snapshots and changes by version', async () => {
      const { presence: s } = await makeStore();
      const before = await s.presenceSnapshot(APP, ['u', 'v']);
      expect(before.peers).toEqual([{ uid: 'u', state: 'OFFLINE' }, { uid: 'v', state: 'OFFLINE' }]);
      const change = await s.recordPresence(APP, 'u', { kind: 'start', sessionId: 's1', rank: 2 });
      expect(change!.version).toBeGreaterThan(before.version);
      const after = await s.presenceSnapshot(APP, ['u']);
      expect(after.version).toBeGreaterThanOrEqual(change!.version);
      const later = await s.recordPresence(APP, 'u', { kind: 'end', sessionId: 's1' });
      expect(later!.version).toBeGreaterThan(after.version);
    });

    it('keeps subscriptions per session with a cap, and clears them', async () => {
      const { presence: s } = await makeStore();
      expect(await s.addSubscriptions(APP, 's1', ['a', 'b'], 3)).toEqual({ ok: true, added: ['a', 'b'] });
      expect(await s.addSubscriptions(APP, 's1', ['b', 'c'], 3)).toEqual({ ok: true, added: ['c'] });
      expect(await s.addSubscriptions(APP, 's1', ['d'], 3)).toEqual({ ok: false, reason: 'OVERFLOW' });
      expect((await s.listSubscriptions(APP, 's1')).sort()).toEqual(['a', 'b', 'c']);
      expect(await s.listSubscriptions(APP, 's2')).toEqual([]);
      expect((await s.removeSubscriptions(APP, 's1', ['a', 'zz'])).sort()).toEqual(['a']);
      expect((await s.replaceSubscriptions(APP, 's1', ['c', 'e'])).sort()).toEqual(['b']);
      expect((await s.listSubscriptions(APP, 's1')).sort()).toEqual(['c', 'e']);
      await s.clearSubscriptions(APP, 's1');
      expect(await s.listSubscriptions(APP, 's1')).toEqual([]);
    });
  });
}
