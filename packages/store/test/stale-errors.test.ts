import { afterEach, expect, it } from 'vitest';
import { socketIoTransport, type RtmClient, type Transport, type TransportSocket } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import type { RtmStore } from '@rtm-kit/store';
import { loginAs, makeStore, sleep, waitFor } from './helpers.js';

let server: RtmServer | null = null;
const clients: RtmClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
  await server?.close();
  server = null;
});

/** A transport that never sends the given requests: they stay in flight until the logout. */
function swallowing(events: readonly string[]): Transport {
  const inner = socketIoTransport();
  return (options) => {
    const socket = inner(options);
    return new Proxy(socket, {
      get(target, property) {
        if (property === 'emit') {
          return (event: string, ...args: unknown[]) => (events.includes(event) ? target : target.emit(event, ...args));
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    }) as TransportSocket;
  };
}

function open(url: string, transport: Transport): RtmStore {
  const made = makeStore(url, { transport });
  clients.push(made.client);
  return made.store;
}

it('keeps errors of requests cut off by a logout out of the next session', async () => {
  server = await startServer({ port: 0, logger: false });
  const store = open(server.url, swallowing(['attributes:setUser', 'attributes:getChannel', 'channel:getMemberCount']));
  const alice = await loginAs(store, 'alice');
  const releaseCount = store.getState().acquireMemberCount(['lobby']);
  const releaseAttributes = store.getState().acquireChannelAttributes('lobby');
  const write = store.getState().setLocalUserAttributes({ mood: 'happy' });
  const writeFailed = write.then(
    () => null,
    (error: Error) => error,
  );
  await sleep(100); // the count poll and the attribute fetch are in flight too

  const bob = store.getState().acquireSession({ uid: 'bob' });
  alice();
  await waitFor(() => store.getState().connection.uid === 'bob' && store.getState().connection.state === 'CONNECTED', 5_000, 'bob');
  expect((await writeFailed)?.message).toBe('Logged out.'); // the caller still hears of it
  await sleep(100);

  const s = store.getState();
  expect(s.localAttributesError).toBeNull();
  expect(s.localAttributes).toEqual({});
  expect(s.memberCountError).toBeNull();
  expect(s.channelAttributes['lobby']?.error ?? null).toBeNull();
  releaseCount();
  releaseAttributes();
  bob();
});
