import { afterEach, describe, expect, it } from 'vitest';
import AgoraRTM, { type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { createManualClock } from '@rtm-kit/server/testing';
import { APP_ID, tappedTransport, waitFor } from './helpers.js';

const quiet = { logFilter: AgoraRTM.LOG_FILTER_OFF };

let server: RtmServer | null = null;
const clients: RtmClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
  await server?.close();
  server = null;
});

describe('requests made while a reconnect restores the session', () => {
  it('wait until the channels are joined again: answered only once the client is CONNECTED', async () => {
    const clock = createManualClock();
    server = await startServer({ port: 0, logger: false, clock });
    const tap = tappedTransport();
    const alice = AgoraRTM.createInstance(APP_ID, {
      serverUrl: server.url,
      ...quiet,
      transport: tap.transport,
      timing: { interruptionMs: 0, reconnectDelayMs: 300, reconnectDelayMaxMs: 300 },
    });
    const bob = AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, ...quiet });
    clients.push(alice, bob);
    await alice.login({ uid: 'alice' });
    await bob.login({ uid: 'bob' });
    const aliceRoom = alice.createChannel('room');
    const bobRoom = bob.createChannel('room');
    const heard: string[] = [];
    bobRoom.on('ChannelMessage', (message) => heard.push('text' in message ? message.text : '?'));
    await aliceRoom.join();
    await bobRoom.join();

    // The grace period runs out while alice is away: she comes back with a new session and her
    // client must join "room" again before anything else it sends reaches the server.
    tap.drop();
    await waitFor(async () => (await server!.core.sessions.get(APP_ID, 'alice'))?.connected === false, 2000, 'the drop');
    await clock.advance(30_000);
    expect(await server.core.sessions.get(APP_ID, 'alice')).toBeNull();

    // Send at the very moment the new session is ready, before the re-join has been answered.
    const socket = tap.sockets.at(-1)!;
    const sent = new Promise<unknown>((resolve) => {
      socket.on('session:ready', () => {
        resolve(
          aliceRoom.sendMessage({ text: 'first words back' }).then(
            () => `sent while ${alice.connectionState}`,
            (e: { code?: number }) => `refused ${e.code}`,
          ),
        );
      });
    });
    // The send went out after the restore: by its answer the client reports CONNECTED again.
    expect(await sent).toBe('sent while CONNECTED');
    await waitFor(() => heard.includes('first words back'), 3000, 'bob to hear it');
    expect(alice.connectionState).toBe('CONNECTED');
  });
});
