import { describe, expect, it } from 'vitest';
import type { SessionRecord, Store } from '@rtm-kit/server/core';

const APP = '0123456789abcdef0123456789abcdef';
const LATER = 10_000;

function record(uid: string, sessionId: string, extra: Partial<SessionRecord> = {}): SessionRecord {
  return { sessionId, appId: APP, uid, startedAt: 0, epoch: 1, connected: true, disconnectedAt: null, tokenExpiresAt: null, resumeSecret: `secret-${sessionId}`, ...extra };
}

/** What every SessionStore must do; run by each store implementation's test. */
export function describeSessionStoreContract(makeStore: () => Promise<Store>): void {
  describe('sessions', () => {
    it('claims a session and returns the one it displaces, remembered as REMOTE_LOGIN', async () => {
      const { sessions } = await makeStore();
      expect(await sessions.claimSession(record('u', 's1'), LATER)).toBeNull();
      const displaced = await sessions.claimSession(record('u', 's2'), LATER);
      expect(displaced?.sessionId).toBe('s1');
      expect((await sessions.getSession(APP, 'u'))?.sessionId).toBe('s2');
      expect(await sessions.getEndedSession('s1', 0)).toEqual({ appId: APP, uid: 'u', reason: 'REMOTE_LOGIN' });
      expect(await sessions.getEndedSession('s1', LATER)).toBeNull();
    });

    it('keeps the resume secret through detach, attach and token renewal', async () => {
      const { sessions } = await makeStore();
      await sessions.claimSession(record('u', 's1'), LATER);
      await sessions.detachSession(APP, 'u', 's1', 1, 5);
      expect((await sessions.attachSession(APP, 'u', 's1'))?.resumeSecret).toBe('secret-s1');
      await sessions.setTokenExpiry(APP, 'u', 's1', 99);
      expect((await sessions.getSession(APP, 'u'))?.resumeSecret).toBe('secret-s1');
    });

    it('keeps users of different apps apart', async () => {
      const { sessions } = await makeStore();
      const other = 'ffffffffffffffffffffffffffffffff';
      await sessions.claimSession(record('u', 's1'), LATER);
      await sessions.claimSession({ ...record('u', 's2'), appId: other }, LATER);
      expect((await sessions.getSession(APP, 'u'))?.sessionId).toBe('s1');
      expect((await sessions.getSession(other, 'u'))?.sessionId).toBe('s2');
    });

    it('detaches only the current epoch and attaches with a new epoch', async () => {
      const { sessions } = await makeStore();
      await sessions.claimSession(record('u', 's1'), LATER);
      expect(await sessions.detachSession(APP, 'u', 's1', 2, 5)).toBeNull();
      const detached = await sessions.detachSession(APP, 'u', 's1', 1, 5);
      expect(detached).toMatchObject({ connected: false, disconnectedAt: 5, epoch: 1 });
      expect(await sessions.detachSession(APP, 'u', 's1', 1, 6)).toBeNull(); // already detached
      const attached = await sessions.attachSession(APP, 'u', 's1');
      expect(attached).toMatchObject({ connected: true, disconnectedAt: null, epoch: 2 });
      expect(await sessions.attachSession(APP, 'u', 'nope')).toBeNull();
    });

    it('ends a session only when every condition holds', async () => {
      const { sessions } = await makeStore();
      await sessions.claimSession(record('u', 's1', { tokenExpiresAt: 100 }), LATER);
      expect(await sessions.endSession(APP, 'u', 's1', 'TIMEOUT', { disconnected: true }, LATER)).toBeNull();
      expect(await sessions.endSession(APP, 'u', 's1', 'TIMEOUT', { epoch: 7 }, LATER)).toBeNull();
      expect(await sessions.endSession(APP, 'u', 's1', 'TOKEN_EXPIRED', { tokenExpiredBy: 99 }, LATER)).toBeNull();
      expect(await sessions.endSession(APP, 'u', 'other', 'LOGOUT', {}, LATER)).toBeNull();
      const ended = await sessions.endSession(APP, 'u', 's1', 'TOKEN_EXPIRED', { tokenExpiredBy: 100 }, LATER);
      expect(ended?.sessionId).toBe('s1');
      expect(await sessions.getSession(APP, 'u')).toBeNull();
      expect((await sessions.getEndedSession('s1', 0))?.reason).toBe('TOKEN_EXPIRED');
    });

    it('does not remember sessions that ended by logout or timeout', async () => {
      const { sessions } = await makeStore();
      await sessions.claimSession(record('a', 's1'), LATER);
      await sessions.claimSession(record('b', 's2'), LATER);
      await sessions.endSession(APP, 'a', 's1', 'LOGOUT', {}, LATER);
      await sessions.endSession(APP, 'b', 's2', 'TIMEOUT', {}, LATER);
      expect(await sessions.getEndedSession('s1', 0)).toBeNull();
      expect(await sessions.getEndedSession('s2', 0)).toBeNull();
    });

    it('moves the token deadline of the current session only', async () => {
      const { sessions } = await makeStore();
      await sessions.claimSession(record('u', 's1'), LATER);
      expect(await sessions.setTokenExpiry(APP, 'u', 'x', 5)).toBe(false);
      expect(await sessions.setTokenExpiry(APP, 'u', 's1', 500)).toBe(true);
      expect((await sessions.getSession(APP, 'u'))?.tokenExpiresAt).toBe(500);
    });

    it('lists the current sessions of one app by uid, a page at a time', async () => {
      const { sessions } = await makeStore();
      const other = 'ffffffffffffffffffffffffffffffff';
      expect(await sessions.listSessions(APP, 10)).toEqual([]);
      for (const uid of ['carol', 'alice', 'dave', 'bob']) await sessions.claimSession(record(uid, `s-${uid}`), LATER);
      await sessions.claimSession({ ...record('eve', 's-eve'), appId: other }, LATER);
      await sessions.detachSession(APP, 'dave', 's-dave', 1, 5);
      await sessions.endSession(APP, 'carol', 's-carol', 'LOGOUT', {}, LATER);
      const first = await sessions.listSessions(APP, 2);
      expect(first.map((s) => s.uid)).toEqual(['alice', 'bob']);
      expect(first[0]).toMatchObject({ sessionId: 's-alice', appId: APP, connected: true });
      const second = await sessions.listSessions(APP, 2, 'bob');
      expect(second.map((s) => [s.uid, s.connected])).toEqual([['dave', false]]);
      expect(await sessions.listSessions(APP, 2, 'dave')).toEqual([]);
      expect((await sessions.listSessions(other, 10)).map((s) => s.uid)).toEqual(['eve']);
      expect(await sessions.listSessions(APP, 0)).toEqual([]);
    });

    it('has exactly one winner when two logins claim at once', async () => {
      const { sessions } = await makeStore();
      const results = await Promise.all([sessions.claimSession(record('u', 's1'), LATER), sessions.claimSession(record('u', 's2'), LATER)]);
      expect(results.filter((r) => r === null)).toHaveLength(1);
      const current = await sessions.getSession(APP, 'u');
      const loser = results.find((r) => r !== null);
      expect(loser?.sessionId).not.toBe(current?.sessionId);
    });
  });
}
