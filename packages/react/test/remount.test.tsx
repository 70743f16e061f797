import { Activity, StrictMode, useState } from 'react';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, expect, it } from 'vitest';
import AgoraRTM, { type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { RtmProvider, useChannel, useConnectionState, usePeerMessages } from '@rtm-kit/react';
import { APP_ID, clientConfig, countingTransport, recordStates, sleep } from './helpers.js';

let server: RtmServer;
const clients: RtmClient[] = [];
beforeEach(async () => {
  server = await startServer({ port: 0, logger: false });
});
afterEach(async () => {
  cleanup();
  await sleep(150);
  await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
  await server.close();
});

function Chat() {
  const { state } = useConnectionState();
  const { status, messages } = useChannel('lobby');
  return (
    <p data-testid="chat">
      {state} {status} {messages.length}
    </p>
  );
}

it('keeps the session and the joins of a shared client when the provider remounts (key change)', async () => {
  const tap = countingTransport();
  const client = AgoraRTM.createInstance(APP_ID, clientConfig(server.url, tap.transport));
  clients.push(client);
  const states = recordStates(client);
  let remount: () => void = () => undefined;
  function App() {
    const [key, setKey] = useState(0);
    remount = () => setKey((k) => k + 1);
    return (
      <RtmProvider key={key} client={client} uid="alice">
        <Chat />
      </RtmProvider>
    );
  }
  render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  await waitFor(() => expect(screen.getByTestId('chat').textContent).toBe('CONNECTED joined 0'), { timeout: 5_000 });

  act(() => remount());
  await sleep(500);
  // The remounted provider picks up where the old one was: no logout and login again, no leave.
  expect(states).toEqual(['CONNECTING/LOGIN', 'CONNECTED/LOGIN_SUCCESS']);
  expect(tap.sockets()).toBe(1);
  expect(tap.count('channel:join')).toBe(1);
  expect(tap.count('channel:leave')).toBe(0);
  expect(screen.getByTestId('chat').textContent).toBe('CONNECTED joined 0');
});

it('logs a shared client out once when the provider unmounts for good, and starts clean when mounted again', async () => {
  const client = AgoraRTM.createInstance(APP_ID, clientConfig(server.url));
  clients.push(client);
  let setShown: (shown: boolean) => void = () => undefined;
  function App() {
    const [shown, set] = useState(true);
    setShown = set;
    return shown ? (
      <RtmProvider client={client} uid="alice">
        <Chat />
      </RtmProvider>
    ) : null;
  }
  render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  await waitFor(() => expect(screen.getByTestId('chat').textContent).toBe('CONNECTED joined 0'), { timeout: 5_000 });
  act(() => setShown(false));
  await waitFor(() => expect(client.connectionState).toBe('DISCONNECTED'), { timeout: 3_000 });
  act(() => setShown(true));
  await waitFor(() => expect(screen.getByTestId('chat').textContent).toBe('CONNECTED joined 0'), { timeout: 5_000 });
  expect((await server.core.channels.members(APP_ID, 'lobby')).includes('alice')).toBe(true);
});

it('joins again after the provider was hidden long enough to log out (Activity)', async () => {
  const tap = countingTransport();
  const client = AgoraRTM.createInstance(APP_ID, clientConfig(server.url, tap.transport));
  clients.push(client);
  let setMode: (mode: 'visible' | 'hidden') => void = () => undefined;
  function App() {
    const [mode, set] = useState<'visible' | 'hidden'>('visible');
    setMode = set;
    return (
      <Activity mode={mode}>
        <RtmProvider client={client} uid="alice">
          <Chat />
        </RtmProvider>
      </Activity>
    );
  }
  render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  await waitFor(() => expect(screen.getByTestId('chat').textContent).toBe('CONNECTED joined 0'), { timeout: 5_000 });
  act(() => setMode('hidden'));
  await waitFor(() => expect(client.connectionState).toBe('DISCONNECTED'), { timeout: 3_000 });
  act(() => setMode('visible'));
  await waitFor(() => expect(tap.count('channel:join')).toBe(2), { timeout: 5_000 });
  await waitFor(() => expect(screen.getByTestId('chat').textContent).toBe('CONNECTED joined 0'), { timeout: 5_000 });
});

it("shows the next user none of the previous user's data after a user switch while hidden (Activity)", async () => {
  const client = AgoraRTM.createInstance(APP_ID, clientConfig(server.url));
  const carol = AgoraRTM.createInstance(APP_ID, clientConfig(server.url));
  clients.push(client, carol);
  await carol.login({ uid: 'carol' });
  function Inbox() {
    const { state, uid } = useConnectionState();
    const { messages } = usePeerMessages('carol');
    return (
      <p data-testid="inbox">
        {state} {uid ?? '-'} {messages.map((m) => ('text' in m.message ? m.message.text : '?')).join(',')}
      </p>
    );
  }
  let update: (next: { mode: 'visible' | 'hidden'; uid: string }) => void = () => undefined;
  function App() {
    const [view, set] = useState<{ mode: 'visible' | 'hidden'; uid: string }>({ mode: 'visible', uid: 'alice' });
    update = set;
    return (
      <Activity mode={view.mode}>
        <RtmProvider client={client} uid={view.uid}>
          <Inbox />
        </RtmProvider>
      </Activity>
    );
  }
  render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
  await waitFor(() => expect(screen.getByTestId('inbox').textContent).toBe('CONNECTED alice '), { timeout: 5_000 });
  await carol.sendMessageToPeer({ text: 'secret for alice' }, 'alice');
  await waitFor(() => expect(screen.getByTestId('inbox').textContent).toBe('CONNECTED alice secret for alice'));

  act(() => update({ mode: 'hidden', uid: 'alice' }));
  await waitFor(() => expect(client.connectionState).toBe('DISCONNECTED'), { timeout: 3_000 });
  act(() => update({ mode: 'hidden', uid: 'bob' }));
  await sleep(50);
  act(() => update({ mode: 'visible', uid: 'bob' }));
  expect(screen.getByTestId('inbox').textContent).not.toContain('secret');
  await waitFor(() => expect(screen.getByTestId('inbox').textContent).toBe('CONNECTED bob '), { timeout: 5_000 });
});
