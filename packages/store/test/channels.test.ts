import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RtmErrorCode, type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import type { MessageItem, RtmStore } from '@rtm-kit/store';
import { countingTransport, loginAs, makeStore, sleep, waitFor } from './helpers.js';

let server: RtmServer;
const clients: RtmClient[] = [];
beforeEach(async () => {
  server = await startServer({ port: 0, logger: false });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
  await server.close();
});

function open(options: Parameters<typeof makeStore>[1] = {}): RtmStore {
  const made = makeStore(server.url, options);
  clients.push(made.client);
  return made.store;
}

const lobby = (store: RtmStore) => store.getState().channels['lobby'];
const texts = (items: readonly MessageItem[] | undefined) => (items ?? []).map((m) => ('text' in m.message ? m.message.text : '?'));

describe('channels', () => {
  it('joins once logged in, exchanges messages with optimistic status, and tracks members', async () => {
    const alice = open();
    const bob = open();
    // Acquired before login: the join waits for CONNECTED.
    alice.getState().acquireChannel('lobby');
    expect(lobby(alice)?.status).toBe('idle');
    await loginAs(alice, 'alice');
    await waitFor(() => lobby(alice)?.status === 'joined', 3_000, 'alice joined');
    await loginAs(bob, 'bob');
    bob.getState().acquireChannel('lobby');
    await waitFor(() => lobby(bob)?.status === 'joined', 3_000, 'bob joined');
    await waitFor(() => lobby(alice)?.members.includes('bob') === true, 3_000, 'alice sees bob');
    expect([...(lobby(bob)?.members ?? [])].sort()).toEqual(['alice', 'bob']);
    await waitFor(() => lobby(alice)?.memberCount === 2, 3_000, 'count 2');

    const heard: MessageItem[] = [];
    bob.getState().onChannelMessage('lobby', (m) => heard.push(m));
    const sending = alice.getState().sendChannelMessage('lobby', 'hello');
    expect(lobby(alice)?.messages.at(-1)).toMatchObject({ from: 'alice', status: 'sending', message: { text: 'hello' } });
    const settled = await sending;
    expect(settled).toMatchObject({ status: 'sent', from: 'alice' });
    expect(lobby(alice)?.messages.at(-1)?.status).toBe('sent');

    await waitFor(() => texts(lobby(bob)?.messages).includes('hello'), 3_000, 'bob got hello');
    const received = lobby(bob)?.messages.at(-1);
    expect(received).toMatchObject({ from: 'alice', message: { text: 'hello', messageType: 'TEXT' } });
    expect(received?.status).toBeUndefined();
    expect(typeof received?.serverReceivedTs).toBe('number');
    expect(heard.map((m) => m.id)).toEqual([received?.id]);
    // The sender does not receive its own channel message (spec §3).
    await sleep(100);
    expect(texts(lobby(alice)?.messages)).toEqual(['hello']);
  });

  it('sends one join for any number of holders, and one leave after the last release', async () => {
    const tap = countingTransport();
    const alice = open({ transport: tap.transport });
    await loginAs(alice, 'alice');
    const a = alice.getState().acquireChannel('lobby');
    const b = alice.getState().acquireChannel('lobby');
    await waitFor(() => lobby(alice)?.status === 'joined');
    // A holder leaving and another arriving at once (a remount) changes nothing.
    a();
    const c = alice.getState().acquireChannel('lobby');
    await sleep(250);
    expect(tap.count('channel:join')).toBe(1);
    expect(tap.count('channel:leave')).toBe(0);
    b();
    c();
    expect(lobby(alice)?.status).toBe('joined'); // the release is deferred
    await waitFor(() => lobby(alice)?.status === 'idle', 3_000, 'left');
    expect(tap.count('channel:leave')).toBe(1);
    await sleep(200);
    expect(tap.count('channel:join')).toBe(1);
    expect(lobby(alice)?.members).toEqual([]);
  });

  it('marks a send that fails as failed with the client error, and retries it', async () => {
    const alice = open();
    const bob = open();
    await loginAs(alice, 'alice');
    await loginAs(bob, 'bob');
    bob.getState().acquireChannel('lobby');
    await waitFor(() => lobby(bob)?.status === 'joined');

    const failed = await alice.getState().sendChannelMessage('lobby', { text: 'early' });
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe(RtmErrorCode.ChannelMessageError.CHANNEL_MESSAGE_ERR_NOT_IN_CHANNEL);
    expect(lobby(alice)?.messages.map((m) => m.status)).toEqual(['failed']);

    alice.getState().acquireChannel('lobby');
    await waitFor(() => lobby(alice)?.status === 'joined');
    await alice.getState().sendChannelMessage('lobby', 'second');
    const retried = await alice.getState().retryChannelMessage('lobby', failed.id);
    expect(retried).toMatchObject({ id: failed.id, status: 'sent' });
    expect(retried?.error).toBeUndefined();
    // A retried message moves to the end: it reached the others after the later one.
    expect(texts(lobby(alice)?.messages)).toEqual(['second', 'early']);
    await waitFor(() => texts(lobby(bob)?.messages).join() === 'second,early', 3_000, 'bob got both');
    expect(await alice.getState().retryChannelMessage('lobby', 'no-such-id')).toBeNull();
  });

  it('shows a bad channel id as an error status, without throwing', async () => {
    const alice = open();
    await loginAs(alice, 'alice');
    alice.getState().acquireChannel('not/valid');
    await waitFor(() => alice.getState().channels['not/valid']?.status === 'error');
    expect(alice.getState().channels['not/valid']?.error?.code).toBe(RtmErrorCode.CreateChannelError.CREATE_CHANNEL_ERR_INVALID_ARGUMENT);
    const sent = await alice.getState().sendChannelMessage('not/valid', 'x');
    expect(sent.status).toBe('failed');
  });

  it('leaves on leaveChannel for every holder and joins again on joinChannel', async () => {
    const alice = open();
    const bob = open();
    await loginAs(alice, 'alice');
    await loginAs(bob, 'bob');
    alice.getState().acquireChannel('lobby');
    bob.getState().acquireChannel('lobby');
    await waitFor(() => lobby(alice)?.members.length === 2 && lobby(bob)?.members.length === 2, 3_000, 'both members');
    await bob.getState().leaveChannel('lobby');
    expect(lobby(bob)?.status).toBe('idle');
    await waitFor(() => lobby(alice)?.members.join() === 'alice', 3_000, 'bob left');
    await bob.getState().joinChannel('lobby');
    expect(lobby(bob)?.status).toBe('joined');
    await waitFor(() => lobby(alice)?.members.includes('bob') === true, 3_000, 'bob back');
  });

  it('clears session data at logout and joins held channels again at the next login', async () => {
    const alice = open();
    const bob = open();
    const releaseAlice = await loginAs(alice, 'alice');
    await loginAs(bob, 'bob');
    alice.getState().acquireChannel('lobby');
    bob.getState().acquireChannel('lobby');
    await waitFor(() => lobby(alice)?.members.length === 2, 3_000, 'members');
    await bob.getState().sendChannelMessage('lobby', 'before');
    await waitFor(() => lobby(alice)?.messages.length === 1);

    releaseAlice();
    await waitFor(() => alice.getState().connection.state === 'DISCONNECTED');
    expect(lobby(alice)).toMatchObject({ status: 'idle', messages: [], members: [], memberCount: null });
    await loginAs(alice, 'alice');
    await waitFor(() => lobby(alice)?.status === 'joined', 3_000, 'rejoined');
    await bob.getState().sendChannelMessage('lobby', 'after');
    await waitFor(() => texts(lobby(alice)?.messages).join() === 'after', 3_000, 'after');
  });

  it('keeps at most maxMessages per channel', async () => {
    const alice = open({ store: { maxMessages: 3 } });
    await loginAs(alice, 'alice');
    alice.getState().acquireChannel('lobby');
    await waitFor(() => lobby(alice)?.status === 'joined');
    for (const text of ['1', '2', '3', '4', '5']) await alice.getState().sendChannelMessage('lobby', text);
    expect(texts(lobby(alice)?.messages)).toEqual(['3', '4', '5']);
  });
});
