import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import type { RtmStore } from '@rtm-kit/store';
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

describe('online status', () => {
  it('shares one subscription per peer, follows changes, and unsubscribes after the last release', async () => {
    const tap = countingTransport();
    const alice = open({ transport: tap.transport });
    const bob = open();
    await loginAs(alice, 'alice');
    // Two holders in the same tick: one subscribe call.
    const first = alice.getState().acquirePeerStatus(['bob', 'carol']);
    const second = alice.getState().acquirePeerStatus(['bob']);
    await waitFor(() => alice.getState().peerStatus['bob'] === 'OFFLINE' && alice.getState().peerStatus['carol'] === 'OFFLINE', 3_000, 'initial');
    expect(tap.count('presence:subscribe')).toBe(1);

    const releaseBob = await loginAs(bob, 'bob');
    await waitFor(() => alice.getState().peerStatus['bob'] === 'ONLINE', 3_000, 'bob online');
    releaseBob();
    await waitFor(() => alice.getState().peerStatus['bob'] === 'OFFLINE', 3_000, 'bob offline');

    first();
    await sleep(250);
    // carol has no holder left; bob still has one.
    expect(alice.getState().peerStatus).toEqual({ bob: 'OFFLINE' });
    second();
    await waitFor(() => Object.keys(alice.getState().peerStatus).length === 0, 3_000, 'dropped');
    expect(tap.count('presence:subscribe')).toBe(1);
    expect(tap.count('presence:unsubscribe')).toBe(2);
  });

  it('subscribes peers held before login once logged in', async () => {
    const alice = open();
    const bob = open();
    await loginAs(bob, 'bob');
    alice.getState().acquirePeerStatus(['bob']);
    await sleep(50);
    expect(alice.getState().peerStatus).toEqual({});
    await loginAs(alice, 'alice');
    await waitFor(() => alice.getState().peerStatus['bob'] === 'ONLINE', 3_000, 'bob online');
  });
});

describe('member counts', () => {
  it('polls counts of channels nobody here joined, for every watcher at once', async () => {
    const tap = countingTransport();
    const alice = open({ transport: tap.transport, store: { memberCountIntervalMs: 1_000 } });
    const bob = open();
    await loginAs(alice, 'alice');
    await loginAs(bob, 'bob');
    const a = alice.getState().acquireMemberCount(['lobby', 'empty']);
    const b = alice.getState().acquireMemberCount(['lobby']);
    await waitFor(() => alice.getState().memberCounts['lobby'] === 0, 3_000, 'first count');
    expect(tap.count('channel:getMemberCount')).toBe(1);
    bob.getState().acquireChannel('lobby');
    await waitFor(() => alice.getState().memberCounts['lobby'] === 1, 4_000, 'count after bob joined');
    a();
    b();
    await sleep(1_500);
    const calls = tap.count('channel:getMemberCount');
    await sleep(1_200);
    expect(tap.count('channel:getMemberCount')).toBe(calls); // polling stopped
  });
});
