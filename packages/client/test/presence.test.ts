import { afterEach, describe, expect, it } from 'vitest';
import AgoraRTM, { RtmErrorCode, type PeersOnlineStatusMap, type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer, type ServerOptions } from '@rtm-kit/server';
import { createManualClock } from '@rtm-kit/server/testing';
import { APP_ID, tappedTransport, waitFor } from './helpers.js';

const { QueryPeersOnlineStatusError, PeerSubscriptionStatusError, QueryPeersBySubscriptionOptionError } = RtmErrorCode;
const quiet = { logFilter: AgoraRTM.LOG_FILTER_OFF };

let server: RtmServer | null = null;
const clients: RtmClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
  await server?.close();
  server = null;
});

async function start(options: ServerOptions = {}): Promise<RtmServer> {
  server = await startServer({ port: 0, logger: false, ...options });
  return server;
}

function client(extra: Parameters<typeof AgoraRTM.createInstance>[1] = {}): RtmClient {
  const c = AgoraRTM.createInstance(APP_ID, { serverUrl: server!.url, ...quiet, ...extra });
  clients.push(c);
  return c;
}

async function user(uid: string, extra: Parameters<typeof AgoraRTM.createInstance>[1] = {}): Promise<RtmClient> {
  const c = client(extra);
  await c.login({ uid });
  return c;
}

function statusEvents(c: RtmClient): PeersOnlineStatusMap[] {
  const seen: PeersOnlineStatusMap[] = [];
  c.on('PeersOnlineStatusChanged', (status) => seen.push({ ...status }));
  return seen;
}

/** The last status reported for each peer, over all events so far. */
function latest(events: PeersOnlineStatusMap[]): PeersOnlineStatusMap {
  return Object.assign({}, ...events) as PeersOnlineStatusMap;
}

describe('queryPeersOnlineStatus', () => {
  it('answers true for logged-in peers and false for others', async () => {
    await start();
    const alice = await user('alice');
    await user('bob');
    await expect(alice.queryPeersOnlineStatus(['bob', 'carol', 'alice', 'bob'])).resolves.toEqual({ bob: true, carol: false, alice: true });
  });

  it('counts a peer within its grace period as logged in, and not after it (fake clock)', async () => {
    const clock = createManualClock();
    await start({ clock });
    const tap = tappedTransport();
    const alice = await user('alice');
    await user('bob', { transport: tap.transport, timing: { reconnectDelayMs: 120_000, reconnectDelayMaxMs: 120_000 } });
    tap.drop();
    await waitFor(async () => (await server!.core.sessions.get(APP_ID, 'bob'))?.connected === false, 2000, 'bob unreachable');
    await expect(alice.queryPeersOnlineStatus(['bob'])).resolves.toEqual({ bob: true });
    await clock.advance(30_000);
    await expect(alice.queryPeersOnlineStatus(['bob'])).resolves.toEqual({ bob: false });
  });

  it('checks its arguments, the 256-ID cap, the call rate and the login', async () => {
    await start();
    const offline = client();
    await expect(offline.queryPeersOnlineStatus(['bob'])).rejects.toMatchObject({ code: QueryPeersOnlineStatusError.QUERY_PEERS_ONLINE_STATUS_ERR_USER_NOT_LOGGED_IN });
    const alice = await user('alice');
    for (const bad of [[], ['ok', 'a/b'], 'bob', [''], [5], Array.from({ length: 257 }, (_, i) => `u${i}`)]) {
      await expect(alice.queryPeersOnlineStatus(bad as string[])).rejects.toMatchObject({
        code: QueryPeersOnlineStatusError.QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT,
      });
    }
    await expect(alice.queryPeersOnlineStatus(Array.from({ length: 256 }, (_, i) => `u${i}`))).resolves.toBeTypeOf('object');
    for (let i = 1; i < 10; i++) await alice.queryPeersOnlineStatus(['bob']);
    await expect(alice.queryPeersOnlineStatus(['bob'])).rejects.toMatchObject({ code: QueryPeersOnlineStatusError.QUERY_PEERS_ONLINE_STATUS_ERR_TOO_OFTEN });
  });
});

describe('subscribePeersOnlineStatus and PeersOnlineStatusChanged', () => {
  it('reports newly subscribed peers once, then each change: ONLINE, UNREACHABLE, ONLINE, OFFLINE', async () => {
    await start();
    const alice = await user('alice');
    const events = statusEvents(alice);
    await alice.subscribePeersOnlineStatus(['bob', 'carol']);
    expect(events).toEqual([{ bob: 'OFFLINE', carol: 'OFFLINE' }]);
    // Subscribing again to the same peers reports nothing new.
    await alice.subscribePeersOnlineStatus(['bob']);
    expect(events).toHaveLength(1);

    const tap = tappedTransport();
    const bob = await user('bob', { transport: tap.transport, timing: { reconnectDelayMs: 300, reconnectDelayMaxMs: 300 } });
    await waitFor(() => events.length === 2, 2000, 'bob online');
    expect(events[1]).toEqual({ bob: 'ONLINE' });

    tap.drop();
    await waitFor(() => events.length >= 3, 2000, 'bob unreachable');
    expect(events[2]).toEqual({ bob: 'UNREACHABLE' });
    await waitFor(() => events.length >= 4, 3000, 'bob back');
    expect(events[3]).toEqual({ bob: 'ONLINE' });

    await bob.logout();
    await waitFor(() => events.length >= 5, 2000, 'bob offline');
    expect(events[4]).toEqual({ bob: 'OFFLINE' });
    expect(events).toHaveLength(5);
  });

  it('reports OFFLINE when a peer\'s grace period ends (fake clock)', async () => {
    const clock = createManualClock();
    await start({ clock });
    const alice = await user('alice');
    const tap = tappedTransport();
    await user('bob', { transport: tap.transport, timing: { reconnectDelayMs: 120_000, reconnectDelayMaxMs: 120_000 } });
    const events = statusEvents(alice);
    await alice.subscribePeersOnlineStatus(['bob']);
    expect(events).toEqual([{ bob: 'ONLINE' }]);
    tap.drop();
    await waitFor(() => events.length === 2, 2000, 'unreachable');
    expect(events[1]).toEqual({ bob: 'UNREACHABLE' });
    await clock.advance(29_999);
    expect(events).toHaveLength(2);
    await clock.advance(1);
    await waitFor(() => events.length === 3, 2000, 'offline');
    expect(events[2]).toEqual({ bob: 'OFFLINE' });
  });

  it('stops reporting a peer after unsubscribing, and lists subscriptions by option', async () => {
    await start();
    const alice = await user('alice');
    const events = statusEvents(alice);
    await alice.subscribePeersOnlineStatus(['bob', 'carol']);
    expect((await alice.queryPeersBySubscriptionOption('ONLINE_STATUS')).sort()).toEqual(['bob', 'carol']);
    await alice.unsubscribePeersOnlineStatus(['bob']);
    expect(await alice.queryPeersBySubscriptionOption(AgoraRTM.PeerSubscriptionOption.ONLINE_STATUS)).toEqual(['carol']);
    await user('bob');
    await user('carol');
    await waitFor(() => events.length === 2, 2000, 'carol online');
    await new Promise((r) => setTimeout(r, 100));
    expect(events).toEqual([{ bob: 'OFFLINE', carol: 'OFFLINE' }, { carol: 'ONLINE' }]);
    await expect(alice.queryPeersBySubscriptionOption('OTHER' as 'ONLINE_STATUS')).rejects.toMatchObject({
      code: QueryPeersBySubscriptionOptionError.QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR_FAILURE,
    });
  });

  it('clears subscriptions at logout', async () => {
    await start();
    const alice = await user('alice');
    const events = statusEvents(alice);
    await alice.subscribePeersOnlineStatus(['bob']);
    await alice.logout();
    await new Promise((r) => setTimeout(r, 520)); // login at most twice a second
    await alice.login({ uid: 'alice' });
    expect(await alice.queryPeersBySubscriptionOption('ONLINE_STATUS')).toEqual([]);
    await user('bob');
    await new Promise((r) => setTimeout(r, 150));
    expect(events).toEqual([{ bob: 'OFFLINE' }]);
  });

  it('restores subscriptions after a reconnect into a new session and reports every peer (fake clock)', async () => {
    const clock = createManualClock();
    await start({ clock });
    const tap = tappedTransport();
    const alice = await user('alice', { transport: tap.transport, timing: { interruptionMs: 0, reconnectDelayMs: 400, reconnectDelayMaxMs: 400 } });
    await user('bob');
    const events = statusEvents(alice);
    await alice.subscribePeersOnlineStatus(['bob', 'carol']);
    expect(events).toEqual([{ bob: 'ONLINE', carol: 'OFFLINE' }]);
    const first = await server!.core.sessions.get(APP_ID, 'alice');

    tap.drop();
    await waitFor(async () => (await server!.core.sessions.get(APP_ID, 'alice'))?.connected === false, 2000, 'drop');
    await clock.advance(30_000); // alice's session ends with its subscriptions
    await user('carol'); // a change alice cannot hear while away
    await waitFor(async () => (await server!.core.sessions.get(APP_ID, 'alice'))?.connected === true, 4000, 'new session');
    expect((await server!.core.sessions.get(APP_ID, 'alice'))?.sessionId).not.toBe(first?.sessionId);
    await waitFor(() => events.length === 2, 2000, 'full status event');
    expect(events[1]).toEqual({ bob: 'ONLINE', carol: 'ONLINE' });
    expect((await alice.queryPeersBySubscriptionOption('ONLINE_STATUS')).sort()).toEqual(['bob', 'carol']);
    const bob = clients[1]!;
    await bob.logout();
    await waitFor(() => events.length === 3, 2000, 'later change');
    expect(events[2]).toEqual({ bob: 'OFFLINE' });
  });

  it('checks its arguments, the 512-peer cap (OVERFLOW, 6), the call rate (TOO_OFTEN, 5) and the login', async () => {
    await start({ limits: { subscriptionMaxPeers: 600 } });
    const offline = client();
    await expect(offline.subscribePeersOnlineStatus(['bob'])).rejects.toMatchObject({ code: PeerSubscriptionStatusError.PEER_SUBSCRIPTION_STATUS_ERR_USER_NOT_LOGGED_IN });
    const alice = await user('alice');
    for (const bad of [[], ['a/b'], 'bob', [null]]) {
      await expect(alice.subscribePeersOnlineStatus(bad as string[])).rejects.toMatchObject({
        code: PeerSubscriptionStatusError.PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT,
      });
      await expect(alice.unsubscribePeersOnlineStatus(bad as string[])).rejects.toMatchObject({
        code: PeerSubscriptionStatusError.PEER_SUBSCRIPTION_STATUS_ERR_INVALID_ARGUMENT,
      });
    }
    const many = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `peer-${from + i}`);
    await expect(alice.subscribePeersOnlineStatus(many(513))).rejects.toMatchObject({
      code: PeerSubscriptionStatusError.PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW,
      name: 'RtmLimitExceededError',
    });
    await alice.subscribePeersOnlineStatus(many(500));
    // 500 + 13 new > 512, checked by the client as the runtime does (existing + new).
    await expect(alice.subscribePeersOnlineStatus(many(13, 500))).rejects.toMatchObject({ code: PeerSubscriptionStatusError.PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW });
    await alice.subscribePeersOnlineStatus(many(12, 500)); // exactly 512
    // Two calls reached the server so far; eight more make ten in 5 s.
    for (let i = 2; i < 10; i++) await alice.subscribePeersOnlineStatus(['peer-0']);
    await expect(alice.subscribePeersOnlineStatus(['peer-0'])).rejects.toMatchObject({
      code: PeerSubscriptionStatusError.PEER_SUBSCRIPTION_STATUS_ERR_TOO_OFTEN,
      name: 'RtmInvokeTooOftenError',
    });
  });

  it('enforces the server\'s own cap with OVERFLOW when it is lower (limits override)', async () => {
    await start({ limits: { subscriptionMaxPeers: 3 } });
    const alice = await user('alice');
    await alice.subscribePeersOnlineStatus(['a', 'b']);
    await expect(alice.subscribePeersOnlineStatus(['c', 'd'])).rejects.toMatchObject({ code: PeerSubscriptionStatusError.PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW });
    expect((await alice.queryPeersBySubscriptionOption('ONLINE_STATUS')).sort()).toEqual(['a', 'b']);
    await alice.subscribePeersOnlineStatus(['c', 'a']);
    expect((await alice.queryPeersBySubscriptionOption('ONLINE_STATUS')).sort()).toEqual(['a', 'b', 'c']);
  });

  it('never ends on a stale status when changes race subscriptions', async () => {
    await start();
    const alice = await user('alice');
    const events = statusEvents(alice);
    const peers = ['p0', 'p1', 'p2', 'p3'];
    const peerClients = peers.map(() => client());
    // Peers log in and out while alice subscribes to them in several calls.
    const churn = (async () => {
      for (let round = 0; round < 3; round++) {
        await Promise.all(peerClients.map((c, i) => c.login({ uid: peers[i]! })));
        await new Promise((r) => setTimeout(r, 5 * round));
        await Promise.all(peerClients.map((c) => c.logout()));
        await new Promise((r) => setTimeout(r, 520));
      }
      await Promise.all(peerClients.slice(0, 2).map((c, i) => c.login({ uid: peers[i]! })));
    })();
    for (const uid of peers) {
      await alice.subscribePeersOnlineStatus([uid]);
      await new Promise((r) => setTimeout(r, 40));
    }
    await churn;
    const truth = { p0: 'ONLINE', p1: 'ONLINE', p2: 'OFFLINE', p3: 'OFFLINE' };
    await waitFor(() => JSON.stringify(latest(events)) === JSON.stringify(truth), 3000, 'final statuses');
    await new Promise((r) => setTimeout(r, 100));
    expect(latest(events)).toEqual(truth);
  });
});
