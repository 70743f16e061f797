import { afterEach, beforeEach, expect, it } from 'vitest';
import type { RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { loginAs, makeStore, sleep, waitFor } from './helpers.js';

let server: RtmServer;
const clients: RtmClient[] = [];
beforeEach(async () => {
  server = await startServer({ port: 0, logger: false });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
  await server.close();
});

it('drops the old session when attached again after a logout it did not see', async () => {
  const alice = makeStore(server.url);
  const bob = makeStore(server.url);
  clients.push(alice.client, bob.client);
  const release = await loginAs(alice.store, 'alice');
  await loginAs(bob.store, 'bob');
  const leave = alice.store.getState().acquireChannel('lobby');
  await waitFor(() => alice.store.getState().channels['lobby']?.status === 'joined', 5_000, 'joined');
  await bob.store.getState().sendPeerMessage('alice', 'for alice only');
  await waitFor(() => alice.store.getState().conversations['bob']?.messages.length === 1, 5_000, 'message');

  // A UI binding detaches (a hidden or unmounted provider) before its deferred logout runs.
  alice.detach();
  release();
  await waitFor(() => alice.client.connectionState === 'DISCONNECTED', 3_000, 'logout');
  await sleep(50);
  // The store ran that logout itself: its data is gone at once, before anyone attaches again.
  expect(alice.store.getState().conversations).toEqual({});

  const detach = alice.store.attach();
  const state = alice.store.getState();
  expect(state.connection).toMatchObject({ state: 'DISCONNECTED', reason: 'LOGOUT', uid: null });
  expect(state.conversations).toEqual({});
  expect(state.channels['lobby']).toMatchObject({ status: 'idle', messages: [], members: [] });

  // The next user's session joins the still-held channel afresh.
  const carol = await loginAs(alice.store, 'carol');
  await waitFor(() => alice.store.getState().channels['lobby']?.status === 'joined', 5_000, 'joined again');
  expect(await server.core.channels.members(alice.client.appId, 'lobby')).toEqual(expect.arrayContaining(['carol']));
  leave();
  carol();
  detach();
});

it('catches up on attach with a logout someone else made while it was detached', async () => {
  const alice = makeStore(server.url);
  const bob = makeStore(server.url);
  clients.push(alice.client, bob.client);
  const release = await loginAs(alice.store, 'alice');
  await loginAs(bob.store, 'bob');
  await bob.store.getState().sendPeerMessage('alice', 'for alice only');
  await waitFor(() => alice.store.getState().conversations['bob']?.messages.length === 1, 5_000, 'message');

  alice.detach();
  await alice.client.logout(); // other code drives the client directly
  expect(alice.store.getState().conversations['bob']?.messages.length).toBe(1); // not listening

  const detach = alice.store.attach();
  expect(alice.store.getState().connection).toMatchObject({ state: 'DISCONNECTED', reason: 'LOGOUT', uid: null });
  expect(alice.store.getState().conversations).toEqual({});
  release();
  detach();
});

it('records the reason the client gives for a state reached while detached', async () => {
  const alice = makeStore(server.url);
  const elsewhere = makeStore(server.url);
  clients.push(alice.client, elsewhere.client);
  const release = await loginAs(alice.store, 'alice');

  alice.detach();
  // The same uid logs in on another client: this one is aborted while the store is not listening.
  await elsewhere.client.login({ uid: 'alice' });
  await waitFor(() => alice.client.connectionState === 'ABORTED', 3_000, 'aborted');
  expect(alice.client.connectionChangeReason).toBe('REMOTE_LOGIN');

  const detach = alice.store.attach();
  expect(alice.store.getState().connection).toMatchObject({ state: 'ABORTED', reason: 'REMOTE_LOGIN' });
  detach();
  release();
});
