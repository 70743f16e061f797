import AgoraRTM, { type RtmClient } from '@rtm-kit/client';
import type { ClientTiming } from '@rtm-kit/protocol';
import type { RtmStoreOptions } from '@rtm-kit/store';
import { createInProcessServer, type InProcessServer, type InProcessServerOptions } from '@rtm-kit/server/in-process';
import type { PeerContext, PeerSpec } from './peers';

/** Any well-formed App ID logs in: the in-process server runs in development mode. */
export const APP_ID = '0123456789abcdef0123456789abcdef';

/** The user a story's components are logged in as. */
export const ME = 'you';

/** What a story asks of its live world (`parameters.live`). */
export interface LiveParameters {
  /** The simulated peers: real clients, logged in before the story renders, each running its script. */
  readonly peers?: readonly PeerSpec<unknown>[];
  /** Options of the in-process server: timings, limits, latency, a slow link for media. */
  readonly server?: InProcessServerOptions;
  /** Client timings of the story's own user (e.g. a short `interruptionMs` to show reconnecting quickly). */
  readonly clientTiming?: Partial<ClientTiming>;
  /** Store options of the story's `RtmProvider` (e.g. a larger `maxMessages`). */
  readonly storeOptions?: RtmStoreOptions;
  /** Log the story's user in (default); false leaves the provider logged out. */
  readonly login?: boolean;
}

/** One story's world: a server in the page, its peers, and the client of the story's user. */
export interface LiveWorld {
  readonly server: InProcessServer;
  /** The story's user (`ME`), not logged in yet: the story's `RtmProvider` logs it in. */
  readonly me: string;
  readonly client: RtmClient;
  /** A running peer's controls (what its spec's `start` returned). */
  control<C>(spec: PeerSpec<C>): C;
  /** Another client of this server, for a story that shows two users. */
  newClient(): RtmClient;
  /** Stop the peers, log everyone out and close the server. */
  close(): Promise<void>;
}

const quiet = { logFilter: AgoraRTM.LOG_FILTER_OFF };

export async function createLiveWorld(parameters: LiveParameters = {}): Promise<LiveWorld> {
  const server = await createInProcessServer({ logger: false, ...parameters.server });
  const clients: RtmClient[] = [];
  const newClient = (timing?: Partial<ClientTiming>) => {
    const client = AgoraRTM.createInstance(APP_ID, { ...server.clientConfig, ...quiet, ...(timing ? { timing } : {}) });
    clients.push(client);
    return client;
  };
  const stops: Array<() => void> = [];
  const controls = new Map<PeerSpec<unknown>, unknown>();
  let closed = false;

  for (const spec of parameters.peers ?? []) {
    const client = newClient();
    await client.login({ uid: spec.uid });
    const context = peerContext(spec.uid, client, server, () => closed);
    stops.push(context.stop);
    controls.set(spec, await spec.start(context));
  }

  let closing: Promise<void> | null = null;
  return {
    server,
    me: ME,
    client: newClient(parameters.clientTiming),
    control<C>(spec: PeerSpec<C>): C {
      if (!controls.has(spec as PeerSpec<unknown>)) throw new Error(`No peer ${spec.uid} in this story: add it to parameters.live.peers.`);
      return controls.get(spec as PeerSpec<unknown>) as C;
    },
    newClient: () => newClient(),
    close() {
      closing ??= (async () => {
        closed = true;
        for (const stop of stops) stop();
        await Promise.all(clients.map((c) => c.logout().catch(() => undefined)));
        await server.close();
      })();
      return closing;
    },
  };
}

function peerContext(uid: string, client: RtmClient, server: InProcessServer, closed: () => boolean): PeerContext & { stop(): void } {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const waiters = new Set<() => void>();
  let stopped = false;
  const isStopped = () => stopped || closed();
  return {
    uid,
    client,
    me: ME,
    server,
    get stopped() {
      return isStopped();
    },
    after(ms, task) {
      if (isStopped()) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!isStopped()) void Promise.resolve(task()).catch((error: unknown) => console.warn(`[peer ${uid}]`, error));
      }, ms);
      timers.add(timer);
    },
    async online(who) {
      const status = await client.queryPeersOnlineStatus([who]);
      if (status[who]) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          client.off('PeersOnlineStatusChanged', onChange);
          waiters.delete(done);
          resolve();
        };
        const onChange = (statuses: Record<string, string>) => {
          if (statuses[who] === 'ONLINE') done();
        };
        waiters.add(done);
        client.on('PeersOnlineStatusChanged', onChange);
        void client.subscribePeersOnlineStatus([who]).catch(() => undefined);
      });
      if (isStopped()) throw new Error('stopped');
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const waiter of [...waiters]) waiter();
    },
  };
}
