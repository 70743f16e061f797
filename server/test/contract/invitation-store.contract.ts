import { describe, expect, it } from 'vitest';
import type { InvitationRecord, Store } from '@rtm-kit/server/core';

const APP = '0123456789abcdef0123456789abcdef';

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
      expect(await s.createInvitation(invitation('c1'))).toBe(true);
      expect(await s.createInvitation(invitation('c1', { callerUid: 'mallory' }))).toBe(false);
      expect((await s.getInvitation(APP, 'c1'))?.callerUid).toBe('alice');
      expect(await s.getInvitation('ffffffffffffffffffffffffffffffff', 'c1')).toBeNull();
    });

    it('moves an invitation only from the given phases', async () => {
      const { invitations: s } = await makeStore();
      await s.createInvitation(invitation('c1'));
      expect(await s.updateInvitation(APP, 'c1', ['RECEIVED'], { phase: 'ACCEPTING' })).toBeNull();
      const received = await s.updateInvitation(APP, 'c1', ['PENDING'], { phase: 'RECEIVED', calleeSessionId: 'sb' });
      expect(received).toMatchObject({ phase: 'RECEIVED', calleeSessionId: 'sb', content: 'hi' });
      expect(await s.updateInvitation(APP, 'nope', ['PENDING'], { phase: 'CANCELED' })).toBeNull();
    });

    it('has exactly one winner when an accept and a cancel race', async () => {
      const { invitations: s } = await makeStore();
      await s.createInvitation(invitation('c1', { phase: 'RECEIVED', calleeSessionId: 'sb' }));
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
      await s.createInvitation(invitation('c1'));
      await s.createInvitation(invitation('c2', { callerUid: 'carol', callerSessionId: 'sc' }));
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
  });
}
