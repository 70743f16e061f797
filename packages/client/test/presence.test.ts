import { afterEach, describe, expect, it } from 'vitest';
import AgoraRTM, { RtmErrorCode, type PeersOnlineStatusMap, type RtmClient, type Transport } from '@rtm-kit/client';
import { MemoryStore, startServer, type RtmServer, type ServerOptions } from '@rtm-kit/server';
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

  it('checks its arguments, the server\'s peer cap (OVERFLOW, 6), the call rate (TOO_OFTEN, 5) and the login', async () => {
    // A raised cap: the client checks against the server's limits, learned at login.
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
    await expect(alice.subscribePeersOnlineStatus(many(601))).rejects.toMatchObject({
      code: PeerSubscriptionStatusError.PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW,
      name: 'RtmLimitExceededError',
    });
    await alice.subscribePeersOnlineStatus(many(590));
    // 590 + 11 new > 600, checked by the client as the runtime does (existing + new).
    await expect(alice.subscribePeersOnlineStatus(many(11, 590))).rejects.toMatchObject({ code: PeerSubscriptionStatusError.PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW });
    await alice.subscribePeersOnlineStatus(many(10, 590)); // exactly 600
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

/**
 * A tapped transport (see `tappedTransport`) that also loses the first `times` emits of `event`
 * on the way to the server, as a network that drops them would: the client's request times out.
 */
function losingTransport(event: string, times: number): { transport: Transport; drop(): void; sent: () => number } {
  const tap = tappedTransport();
  let lost = 0;
  let sent = 0;
  return {
    transport: (options) => {
      const socket = tap.transport(options);
      const emit = socket.emit.bind(socket);
      return Object.assign(socket, {
        emit: (name: string, ...args: unknown[]) => {
          if (name !== event) return emit(name, ...args);
          sent++;
          if (lost < times) {
            lost++;
            return socket;
          }
          return emit(name, ...args);
        },
      });
    },
    drop: () => tap.drop(),
    sent: () => sent,
  };
}

/** A tapped transport that holds back the first emit of `event` until released. */
function holdingTransport(event: string): { transport: Transport; drop(): void; held: () => number; release(): void } {
  const tap = tappedTransport();
  const queue: Array<() => void> = [];
  let holding = true;
  return {
    transport: (options) => {
      const socket = tap.transport(options);
      const emit = socket.emit.bind(socket);
      return Object.assign(socket, {
        emit: (name: string, ...args: unknown[]) => {
          if (name !== event || !holding) return emit(name, ...args);
          holding = false;
          queue.push(() => emit(name, ...args));
          return socket;
        },
      });
    },
    drop: () => tap.drop(),
    held: () => queue.length,
    release: () => {
      for (const send of queue.splice(0)) send();
    },
  };
}

describe('restoring subscriptions after a reconnect converges (§9.1)', () => {
  it('sends a restore that failed again, with a backoff, until the server has the subscriptions', async () => {
    await start();
    const net = losingTransport('presence:restore', 2);
    const alice = await user('alice', {
      transport: net.transport,
      timing: { interruptionMs: 0, reconnectDelayMs: 200, reconnectDelayMaxMs: 400, requestTimeoutMs: 400 },
    });
    const bob = await user('bob');
    const events = statusEvents(alice);
    await alice.subscribePeersOnlineStatus(['bob', 'carol']);
    expect(events).toEqual([{ bob: 'ONLINE', carol: 'OFFLINE' }]);

    net.drop();
    await waitFor(async () => (await server!.core.sessions.get(APP_ID, 'alice'))?.connected === false, 2000, 'drop');
    await waitFor(() => alice.connectionState === 'CONNECTED' && net.sent() >= 1, 3000, 'reconnected');
    await user('carol'); // heard only once a restore has reached the server
    await waitFor(() => events.length === 2, 5000, 'restored');
    expect(net.sent()).toBe(3); // two lost, the third answered
    expect(events[1]).toEqual({ bob: 'ONLINE', carol: 'ONLINE' });
    await bob.logout();
    await waitFor(() => events.length === 3, 2000, 'later change');
    expect(events[2]).toEqual({ bob: 'OFFLINE' });
    expect((await alice.queryPeersBySubscriptionOption('ONLINE_STATUS')).sort()).toEqual(['bob', 'carol']);
  });

  it('restores again when a subscribe overlapped the restore, so the server ends with the client\'s set', async () => {
    const store = new MemoryStore();
    await start({ store });
    const hold = holdingTransport('presence:restore');
    const alice = await user('alice', { transport: hold.transport, timing: { interruptionMs: 0, reconnectDelayMs: 200, reconnectDelayMaxMs: 200 } });
    await alice.subscribePeersOnlineStatus(['bob']);
    hold.drop();
    await waitFor(async () => (await server!.core.sessions.get(APP_ID, 'alice'))?.connected === false, 2000, 'drop');
    // A subscribe made while the restore of ['bob'] is held back: whichever order the server
    // would apply them in (requests made during a restore wait for it), it must end with both.
    await waitFor(() => hold.held() === 1, 3000, 'restore held');
    const subscribed = alice.subscribePeersOnlineStatus(['dave']);
    hold.release();
    await subscribed;
    await waitFor(() => alice.connectionState === 'CONNECTED', 2000, 'CONNECTED');
    const { sessionId } = (await server!.core.sessions.get(APP_ID, 'alice'))!;
    await waitFor(async () => (await store.presence.listSubscriptions(APP_ID, sessionId)).sort().join() === 'bob,dave', 3000, 'both on the server');
    expect((await alice.queryPeersBySubscriptionOption('ONLINE_STATUS')).sort()).toEqual(['bob', 'dave']);
    const events = statusEvents(alice);
    await user('dave');
    await user('bob');
    await waitFor(() => JSON.stringify(latest(events)) === JSON.stringify({ dave: 'ONLINE', bob: 'ONLINE' }), 2000, 'changes of both');
  });

  it('keeps only the subscriptions the server holds when it refuses the restore for good (its limits changed)', async () => {
    await start({ limits: { subscriptionMaxPeers: 3 } });
    const port = server!.port;
    const alice = await user('alice', { timing: { interruptionMs: 0, reconnectDelayMs: 100, reconnectDelayMaxMs: 200 } });
    await alice.subscribePeersOnlineStatus(['a', 'b', 'c']);
    await server!.close();
    // The server comes back on the same port with a lower cap; alice lands in a new session.
    server = await startServer({ port, logger: false, limits: { subscriptionMaxPeers: 2 } });
    await waitFor(async () => (await server!.core.sessions.get(APP_ID, 'alice'))?.connected === true, 5000, 'new session');
    await waitFor(() => alice.connectionState === 'CONNECTED', 3000, 'CONNECTED');
    expect(await alice.queryPeersBySubscriptionOption('ONLINE_STATUS')).toEqual([]);
    // The client agrees with the server: subscribing again starts from nothing.
    await alice.subscribePeersOnlineStatus(['a', 'b']);
    expect((await alice.queryPeersBySubscriptionOption('ONLINE_STATUS')).sort()).toEqual(['a', 'b']);
  });
});

