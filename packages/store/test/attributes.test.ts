import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RtmErrorCode, type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import type { RtmStore } from '@rtm-kit/store';
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

const values = (store: RtmStore, channelId: string) =>
  Object.fromEntries(Object.entries(store.getState().channelAttributes[channelId]?.attributes ?? {}).map(([k, v]) => [k, v.value]));

describe('channel attributes', () => {
  it('loads, applies own writes, and follows AttributesUpdated in a joined channel', async () => {
    const alice = open();
    const bob = open();
    await loginAs(alice, 'alice');
    await loginAs(bob, 'bob');
    await alice.getState().setChannelAttributes('room', { topic: 'first' });

    bob.getState().acquireChannelAttributes('room');
    bob.getState().acquireChannel('room');
    await waitFor(() => bob.getState().channelAttributes['room']?.status === 'ready', 3_000, 'loaded');
    expect(values(bob, 'room')).toEqual({ topic: 'first' });
    expect(bob.getState().channelAttributes['room']?.attributes['topic']?.lastUpdateUserId).toBe('alice');
    await waitFor(() => bob.getState().channels['room']?.status === 'joined');

    await alice.getState().addOrUpdateChannelAttributes('room', { topic: 'second', mood: 'ok' }, { enableNotificationToChannelMembers: true });
    expect(values(alice, 'room')).toEqual({ topic: 'second', mood: 'ok' });
    await waitFor(() => values(bob, 'room')['topic'] === 'second', 3_000, 'notified');
    expect(values(bob, 'room')).toEqual({ topic: 'second', mood: 'ok' });

    await bob.getState().deleteChannelAttributesByKeys('room', ['mood']);
    expect(values(bob, 'room')).toEqual({ topic: 'second' });
    await alice.getState().refreshChannelAttributes('room');
    expect(values(alice, 'room')).toEqual({ topic: 'second' });
    await alice.getState().clearChannelAttributes('room');
    expect(values(alice, 'room')).toEqual({});
  });

  it('rejects a bad write with the client error and keeps it in the entry', async () => {
    const alice = open();
    await loginAs(alice, 'alice');
    await expect(alice.getState().setChannelAttributes('room', {})).rejects.toMatchObject({
      code: RtmErrorCode.AttributeOperationError.ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT,
    });
    expect(alice.getState().channelAttributes['room']?.error?.code).toBe(RtmErrorCode.AttributeOperationError.ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
  });
});

describe('user attributes', () => {
  it('writes the own attributes and reads another user’s', async () => {
    const alice = open();
    const bob = open();
    await loginAs(alice, 'alice');
    await loginAs(bob, 'bob');
    await alice.getState().setLocalUserAttributes({ name: 'Alice', role: 'host' });
    await alice.getState().addOrUpdateLocalUserAttributes({ role: 'guest' });
    await alice.getState().deleteLocalUserAttributesByKeys(['role']);
    expect(alice.getState().localAttributes).toEqual({ name: 'Alice' });

    bob.getState().acquireUserAttributes('alice');
    await waitFor(() => bob.getState().userAttributes['alice']?.status === 'ready');
    expect(bob.getState().userAttributes['alice']?.attributes).toEqual({ name: 'Alice' });
    await alice.getState().clearLocalUserAttributes();
    await bob.getState().refreshUserAttributes('alice');
    expect(bob.getState().userAttributes['alice']?.attributes).toEqual({});
  });
});
