import AgoraRTM, { socketIoTransport, type RtmClient, type Transport, type TransportSocket } from '@rtm-kit/client';
import { createRtmStore, type RtmStore, type RtmStoreOptions } from '@rtm-kit/store';

export const APP_ID = '0123456789abcdef0123456789abcdef';
export const CERT = 'fedcba9876543210fedcba9876543210';

/** Polls until `check` is true, failing after `ms`. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 5_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  for (let i = 0; i < 10_000; i++) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`gave up waiting for ${what}`);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A socket.io transport that counts every request the client sends, by event name. */
export function countingTransport(): { transport: Transport; sent: Map<string, number>; count(event: string): number } {
  const sent = new Map<string, number>();
  const inner = socketIoTransport();
  return {
    sent,
    count: (event) => sent.get(event) ?? 0,
    transport: (options) => {
      const socket = inner(options);
      return new Proxy(socket, {
        get(target, property) {
          if (property === 'emit') {
            return (event: string, ...args: unknown[]) => {
              sent.set(event, (sent.get(event) ?? 0) + 1);
              return target.emit(event, ...args);
            };
          }
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      }) as TransportSocket;
    },
  };
}

/** A client against `serverUrl` with logs off, and its attached store. */
export function makeStore(
  serverUrl: string,
  options: { transport?: Transport; store?: RtmStoreOptions; timing?: Record<string, number> } = {},
): { client: RtmClient; store: RtmStore; detach: () => void } {
  const client = AgoraRTM.createInstance(APP_ID, {
    serverUrl,
    logFilter: AgoraRTM.LOG_FILTER_OFF,
    ...(options.transport === undefined ? {} : { transport: options.transport }),
    ...(options.timing === undefined ? {} : { timing: options.timing }),
  });
  const store = createRtmStore(client, options.store);
  const detach = store.attach();
  return { client, store, detach };
}

/** Logs the store in as `uid` and waits for CONNECTED; returns the session release. */
export async function loginAs(store: RtmStore, uid: string): Promise<() => void> {
  const release = store.getState().acquireSession({ uid });
  await waitFor(() => store.getState().connection.state === 'CONNECTED', 5_000, `${uid} CONNECTED`);
  return release;
}
