import { StrictMode } from 'react';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, expect, it } from 'vitest';
import AgoraRTM, { type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { RtmProvider, useChannel, useConnectionState } from '@rtm-kit/react';
import { APP_ID, clientConfig, droppableTransport, recordStates, sleep } from './helpers.js';

let server: RtmServer;
let bob: RtmClient | null = null;
beforeEach(async () => {
  server = await startServer({ port: 0, logger: false });
});
afterEach(async () => {
  cleanup();
  await bob?.logout().catch(() => undefined);
  bob = null;
  await sleep(150);
  await server.close();
});

function Room() {
  const { state, reason } = useConnectionState();
  const { status, messages } = useChannel('lobby');
  return (
    <>
      <p data-testid="connection">
        {state}/{reason}
      </p>
      <p data-testid="channel">{status}</p>
      <p data-testid="messages">{messages.map((m) => ('text' in m.message ? m.message.text : '')).join(' ')}</p>
    </>
  );
}

it('shows RECONNECTING while the network is down and keeps the channel joined across it', async () => {
  const net = droppableTransport();
  const client = AgoraRTM.createInstance(APP_ID, {
    ...clientConfig(server.url, net.transport),
    timing: { interruptionMs: 100, reconnectDelayMs: 600, reconnectDelayMaxMs: 600 },
  });
  const states = recordStates(client);
  render(
    <StrictMode>
      <RtmProvider client={client} uid="alice">
        <Room />
      </RtmProvider>
    </StrictMode>,
  );
  await waitFor(() => expect(screen.getByTestId('channel').textContent).toBe('joined'), { timeout: 5_000 });

  net.drop();
  await waitFor(() => expect(screen.getByTestId('connection').textContent).toBe('RECONNECTING/INTERRUPTED'), { timeout: 3_000 });
  expect(screen.getByTestId('channel').textContent).toBe('joined');
  await waitFor(() => expect(screen.getByTestId('connection').textContent).toBe('CONNECTED/LOGIN_SUCCESS'), { timeout: 5_000 });
  expect(states).toEqual(['CONNECTING/LOGIN', 'CONNECTED/LOGIN_SUCCESS', 'RECONNECTING/INTERRUPTED', 'CONNECTED/LOGIN_SUCCESS']);

  bob = AgoraRTM.createInstance(APP_ID, clientConfig(server.url));
  await bob.login({ uid: 'bob' });
  const channel = bob.createChannel('lobby');
  await channel.join();
  await channel.sendMessage({ text: 'after the outage' });
  await waitFor(() => expect(screen.getByTestId('messages').textContent).toBe('after the outage'), { timeout: 3_000 });
  expect(screen.getByTestId('channel').textContent).toBe('joined');
});
