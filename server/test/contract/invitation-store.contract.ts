import { describe, expect, it } from 'vitest';
import type { InvitationRecord, Store } from '@rtm-kit/server/core';

const APP = '0123456789abcdef0123456789abcdef';
/** A cap no test reaches unless it means to. */
const OPEN_MAX = 32;

function invitation(callId: string, extra: Partial<InvitationRecord> = {}): InvitationRecord {
  return {
    appId: APP,
    callId,
    callerUid: 'alice',
    callerSessionId: 'sa',
    calleeUid: 'bob',
    content: 'hi',
    channelId: '',
    phase: 'PENDING',
    calleeSessionId: null,
    deliveredTo: null,
    response: '',
    callerReason: null,
    calleeReason: null,
    sentAt: 0,
    endedAt: null,
    ...extra,
  };
}

/** What every InvitationStore must do. */
export function describeInvitationStoreContract(makeStore: () => Promise<Store>): void {
  describe('invitations', () => {
    it('creates an invitation once per call ID', async () => {
      const { invitations: s } = await makeStore();
      expect(await s.createInvitation(invitation('c1'), OPEN_MAX)).toEqual({ ok: true });
      expect(await s.createInvitation(invitation('c1', { callerUid: 'mallory' }), OPEN_MAX)).toEqual({ ok: false, reason: 'CALL_ID_IN_USE' });
      expect((await s.getInvitation(APP, 'c1'))?.callerUid).toBe('alice');
      expect(await s.getInvitation('ffffffffffffffffffffffffffffffff', 'c1')).toBeNull();
    });

    it('moves an invitation only from the given phases', async () => {
      const { invitations: s } = await makeStore();
      await s.createInvitation(invitation('c1'), OPEN_MAX);
      expect(await s.updateInvitation(APP, 'c1', ['RECEIVED'], { phase: 'ACCEPTING' })).toBeNull();
      const received = await s.updateInvitation(APP, 'c1', ['PENDING'], { phase: 'RECEIVED', calleeSessionId: 'sb' });
      expect(received).toMatchObject({ phase: 'RECEIVED', calleeSessionId: 'sb', content: 'hi' });
      expect(await s.updateInvitation(APP, 'nope', ['PENDING'], { phase: 'CANCELED' })).toBeNull();
    });

    it('has exactly one winner when an accept and a cancel race', async () => {
      const { invitations: s } = await makeStore();
      await s.createInvitation(invitation('c1', { phase: 'RECEIVED', calleeSessionId: 'sb' }), OPEN_MAX);
      const [accepted, canceled] = await Promise.all([
        s.updateInvitation(APP, 'c1', ['PENDING', 'RECEIVED'], { phase: 'ACCEPTING', response: 'yes' }),
        s.updateInvitation(APP, 'c1', ['PENDING', 'RECEIVED', 'ACCEPTING'], { phase: 'CANCELED', endedAt: 1 }),
      ]);
      expect(accepted).not.toBeNull();
      expect(canceled).not.toBeNull(); // a cancel still wins over an unconfirmed accept
      expect((await s.getInvitation(APP, 'c1'))?.phase).toBe('CANCELED');
      const [confirm, cancelAgain] = await Promise.all([
        s.updateInvitation(APP, 'c1', ['ACCEPTING'], { phase: 'ACCEPTED' }),
        s.updateInvitation(APP, 'c1', ['PENDING', 'RECEIVED', 'ACCEPTING'], { phase: 'CANCELED' }),
      ]);
      expect([confirm, cancelAgain]).toEqual([null, null]);
    });

    it('finds the open invitations of a session and the pending ones of a callee', async () => {
      const { invitations: s } = await makeStore();
      await s.createInvitation(invitation('c1'), OPEN_MAX);
      await s.createInvitation(invitation('c2', { callerUid: 'carol', callerSessionId: 'sc' }), OPEN_MAX);
      expect((await s.pendingInvitationsTo(APP, 'bob')).map((r) => r.callId).sort()).toEqual(['c1', 'c2']);
      expect((await s.invitationsOfSession(APP, 'sa')).map((r) => r.callId)).toEqual(['c1']);
      await s.updateInvitation(APP, 'c1', ['PENDING'], { phase: 'RECEIVED', calleeSessionId: 'sb' });
      expect((await s.pendingInvitationsTo(APP, 'bob')).map((r) => r.callId)).toEqual(['c2']);
      expect((await s.invitationsOfSession(APP, 'sb')).map((r) => r.callId)).toEqual(['c1']);
      await s.updateInvitation(APP, 'c1', ['RECEIVED'], { phase: 'REFUSED', endedAt: 5 });
      expect(await s.invitationsOfSession(APP, 'sa')).toEqual([]);
      expect(await s.invitationsOfSession(APP, 'sb')).toEqual([]);
      expect((await s.getInvitation(APP, 'c1'))?.phase).toBe('REFUSED'); // remembered until deleted
      await s.deleteInvitation(APP, 'c1');
      expect(await s.getInvitation(APP, 'c1')).toBeNull();
      await s.deleteInvitation(APP, 'c2');
      expect(await s.pendingInvitationsTo(APP, 'bob')).toEqual([]);
    });

    it('caps the open invitations a caller session sent, in one step, and frees a slot when one ends', async () => {
      const { invitations: s } = await makeStore();
      // Sends racing each other: exactly the cap gets through.
      const results = await Promise.all(['c1', 'c2', 'c3', 'c4'].map((id) => s.createInvitation(invitation(id), 2)));
      expect(results.filter((r) => r.ok)).toHaveLength(2);
      expect(results.filter((r) => !r.ok)).toEqual([
        { ok: false, reason: 'TOO_MANY_OPEN' },
        { ok: false, reason: 'TOO_MANY_OPEN' },
      ]);
      const created = (await s.invitationsOfSession(APP, 'sa')).map((r) => r.callId);
      expect(created).toHaveLength(2);
      // Another caller session has its own cap; invitations the session received do not count.
      expect(await s.createInvitation(invitation('d1', { callerUid: 'bob', callerSessionId: 'sb', calleeUid: 'alice' }), 2)).toEqual({ ok: true });
      await s.updateInvitation(APP, 'd1', ['PENDING'], { phase: 'RECEIVED', calleeSessionId: 'sa' });
      expect(await s.createInvitation(invitation('c5'), 2)).toEqual({ ok: false, reason: 'TOO_MANY_OPEN' });
      await s.updateInvitation(APP, created[0]!, ['PENDING'], { phase: 'CANCELED', endedAt: 1 });
      expect(await s.createInvitation(invitation('c5'), 2)).toEqual({ ok: true });
      expect(await s.createInvitation(invitation('c6'), 2)).toEqual({ ok: false, reason: 'TOO_MANY_OPEN' });
    });
  });
}
