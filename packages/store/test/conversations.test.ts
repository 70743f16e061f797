import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RtmErrorCode, type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { ANY_PEER, type PeerMessageItem, type RtmStore } from '@rtm-kit/store';
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

const texts = (items: readonly PeerMessageItem[] | undefined) => (items ?? []).map((m) => ('text' in m.message ? m.message.text : '?'));

describe('peer conversations', () => {
  it('delivers a message both ways with status and hasPeerReceived', async () => {
    const alice = open();
    const bob = open();
    await loginAs(alice, 'alice');
    await loginAs(bob, 'bob');
    const heard: string[] = [];
    bob.getState().onPeerMessage(ANY_PEER, (m) => heard.push(`any:${m.from}`));
    bob.getState().onPeerMessage('alice', (m) => heard.push(`alice:${m.from}`));

    const sending = alice.getState().sendPeerMessage('bob', 'hi bob');
    expect(alice.getState().conversations['bob']?.messages).toMatchObject([{ peerId: 'bob', from: 'alice', status: 'sending' }]);
    expect(await sending).toMatchObject({ status: 'sent', hasPeerReceived: true });
    await waitFor(() => texts(bob.getState().conversations['alice']?.messages).includes('hi bob'));
    expect(bob.getState().conversations['alice']?.messages[0]).toMatchObject({
      peerId: 'alice',
      from: 'alice',
      isOfflineMessage: false,
      message: { text: 'hi bob' },
    });
    expect(heard.sort()).toEqual(['alice:alice', 'any:alice']);

    await bob.getState().sendPeerMessage('alice', 'hi alice');
    await waitFor(() => texts(alice.getState().conversations['bob']?.messages).join() === 'hi bob,hi alice');
  });

  it('resolves hasPeerReceived false for an offline peer, and a bad peer id as a failed item', async () => {
    const alice = open();
    await loginAs(alice, 'alice');
    expect(await alice.getState().sendPeerMessage('nobody', 'anyone?')).toMatchObject({ status: 'sent', hasPeerReceived: false });
    const bad = await alice.getState().sendPeerMessage('bad/id', 'x');
    expect(bad.status).toBe('failed');
    expect(bad.error?.code).toBe(RtmErrorCode.PeerMessageError.PEER_MESSAGE_ERR_INVALID_USERID);
  });

  it('retries a message that failed because the user was not logged in', async () => {
    const alice = open();
    const bob = open();
    await loginAs(bob, 'bob');
    const failed = await alice.getState().sendPeerMessage('bob', 'queued');
    expect(failed.error?.code).toBe(RtmErrorCode.PeerMessageError.PEER_MESSAGE_ERR_USER_NOT_LOGGED_IN);
    await loginAs(alice, 'alice');
    expect(await alice.getState().retryPeerMessage('bob', failed.id)).toMatchObject({ id: failed.id, status: 'sent', hasPeerReceived: true });
    await waitFor(() => texts(bob.getState().conversations['alice']?.messages).join() === 'queued');
  });

  it('marks messages kept for an offline peer (1.4.x offline messaging) when they arrive', async () => {
    const alice = open();
    const bob = open();
    await loginAs(alice, 'alice');
    const sent = await alice.getState().sendPeerMessage('bob', 'while you were away', { enableOfflineMessaging: true });
    expect(sent).toMatchObject({ status: 'sent', hasPeerReceived: false });
    await loginAs(bob, 'bob');
    await waitFor(() => bob.getState().conversations['alice']?.messages.length === 1, 3_000, 'offline message');
    expect(bob.getState().conversations['alice']?.messages[0]).toMatchObject({ isOfflineMessage: true, message: { text: 'while you were away' } });
  });
});
