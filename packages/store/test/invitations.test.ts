import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RtmErrorCode, type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import type { IncomingInvitation, RtmStore } from '@rtm-kit/store';
import { loginAs, makeStore, waitFor } from './helpers.js';

let server: RtmServer;
const clients: RtmClient[] = [];
beforeEach(async () => {
  server = await startServer({ port: 0, logger: false });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
  await server.close();
});

function open(): RtmStore {
  const made = makeStore(server.url);
  clients.push(made.client);
  return made.store;
}

describe('invitations', () => {
  it('mirrors an accepted and a refused call on both sides', async () => {
    const alice = open();
    const bob = open();
    await loginAs(alice, 'alice');
    await loginAs(bob, 'bob');
    const rang: IncomingInvitation[] = [];
    bob.getState().onInvitationReceived((i) => rang.push(i));

    const placed = await alice.getState().call('bob', { content: 'standup?', channelId: 'room-1' });
    expect(placed).toMatchObject({ calleeId: 'bob', content: 'standup?', channelId: 'room-1', state: 'SENT_TO_REMOTE', failureReason: null });
    await waitFor(() => bob.getState().incomingInvitations.length === 1, 3_000, 'bob rang');
    expect(rang).toHaveLength(1);
    const incoming = bob.getState().incomingInvitations[0] as IncomingInvitation;
    expect(incoming).toMatchObject({ callerId: 'alice', content: 'standup?', channelId: 'room-1', state: 'INVITATION_RECEIVED' });
    await waitFor(() => alice.getState().outgoingInvitations[0]?.state === 'RECEIVED_BY_REMOTE', 3_000, 'received by peer');

    await bob.getState().acceptInvitation(incoming.id, 'on my way');
    await waitFor(() => alice.getState().outgoingInvitations[0]?.state === 'ACCEPTED_BY_REMOTE', 3_000, 'accepted');
    expect(alice.getState().outgoingInvitations[0]?.response).toBe('on my way');
    await waitFor(() => bob.getState().incomingInvitations[0]?.state === 'ACCEPTED', 3_000, 'bob accepted');

    const second = await alice.getState().call('bob');
    await waitFor(() => bob.getState().incomingInvitations.length === 2, 3_000, 'second call');
    const refused = bob.getState().incomingInvitations[1] as IncomingInvitation;
    await bob.getState().refuseInvitation(refused.id, 'busy');
    expect(bob.getState().incomingInvitations[1]?.state).toBe('REFUSED');
    await waitFor(() => alice.getState().outgoingInvitations.find((i) => i.id === second.id)?.state === 'REFUSED_BY_REMOTE', 3_000, 'refused');
    expect(alice.getState().outgoingInvitations.find((i) => i.id === second.id)?.response).toBe('busy');

    // Acting on an ended invitation rejects with the 1.x error.
    await expect(bob.getState().acceptInvitation(refused.id)).rejects.toMatchObject({
      code: RtmErrorCode.InvitationApiCallError.INVITATION_API_CALL_ERR_ALREADY_END,
    });
    bob.getState().dismissInvitation(refused.id);
    expect(bob.getState().incomingInvitations.map((i) => i.id)).toEqual([incoming.id]);
  });

  it('cancels a call, and rejects a bad callee id', async () => {
    const alice = open();
    const bob = open();
    await loginAs(alice, 'alice');
    await loginAs(bob, 'bob');
    const placed = await alice.getState().call('bob', { content: 'quick one' });
    await waitFor(() => bob.getState().incomingInvitations.length === 1, 3_000, 'rang');
    await alice.getState().cancelInvitation(placed.id);
    expect(alice.getState().outgoingInvitations[0]?.state).toBe('CANCELED');
    await waitFor(() => bob.getState().incomingInvitations[0]?.state === 'CANCELED', 3_000, 'canceled at bob');
    await expect(alice.getState().call('bad/id')).rejects.toMatchObject({
      code: RtmErrorCode.InvitationApiCallError.INVITATION_API_CALL_ERR_INVALID_ARGUMENT,
    });
    await expect(alice.getState().cancelInvitation('no-such-call')).rejects.toThrow('No invitation "no-such-call"');
  });
});
