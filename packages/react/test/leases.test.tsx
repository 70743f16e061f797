import { StrictMode, useState } from 'react';
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, expect, it } from 'vitest';
import AgoraRTM from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { RtmProvider, useChannel, useChannelMembers, usePeerStatus } from '@rtm-kit/react';
import { APP_ID, clientConfig, countingTransport, sleep } from './helpers.js';

let server: RtmServer;
beforeEach(async () => {
  server = await startServer({ port: 0, logger: false });
});
afterEach(async () => {
  cleanup();
  await sleep(150);
  await server.close();
});

function Chat({ name }: { name: string }) {
  const { status, messages } = useChannel('lobby');
  return (
    <p data-testid={name}>
      {status} {messages.length}
    </p>
  );
}

function Members() {
  const { members } = useChannelMembers('lobby');
  return <p data-testid="members">{members.join(',')}</p>;
}

function Status({ name }: { name: string }) {
  const status = usePeerStatus(['bob']);
  return <p data-testid={name}>{status['bob'] ?? 'unknown'}</p>;
}

let setShown: (shown: boolean) => void = () => undefined;

function Toggle({ children }: { children: React.ReactNode }) {
  const [shown, set] = useState(true);
  setShown = set;
  return shown ? children : null;
}

it('sends one join for two components on a channel under Strict Mode, and one leave after both unmount', async () => {
  const tap = countingTransport();
  const client = AgoraRTM.createInstance(APP_ID, clientConfig(server.url, tap.transport));
  render(
    <StrictMode>
      <RtmProvider client={client} uid="alice">
        <Toggle>
          <Chat name="first" />
          <Chat name="second" />
          <Members />
        </Toggle>
      </RtmProvider>
    </StrictMode>,
  );
  await waitFor(() => expect(screen.getByTestId('first').textContent).toBe('joined 0'), { timeout: 5_000 });
  expect(screen.getByTestId('second').textContent).toBe('joined 0');
  await waitFor(() => expect(screen.getByTestId('members').textContent).toBe('alice'));
  await sleep(300);
  expect(tap.count('channel:join')).toBe(1);
  expect(tap.count('channel:leave')).toBe(0);

  act(() => setShown(false));
  await waitFor(() => expect(tap.count('channel:leave')).toBe(1), { timeout: 3_000 });
  await sleep(300);
  expect(tap.count('channel:join')).toBe(1);
  expect(tap.count('channel:leave')).toBe(1);
  expect(client.connectionState).toBe('CONNECTED');
});

it('shares one online-status subscription among components and drops it after the last unmount', async () => {
  const tap = countingTransport();
  const client = AgoraRTM.createInstance(APP_ID, clientConfig(server.url, tap.transport));
  render(
    <StrictMode>
      <RtmProvider client={client} uid="alice">
        <Toggle>
          <Status name="a" />
          <Status name="b" />
        </Toggle>
      </RtmProvider>
    </StrictMode>,
  );
  await waitFor(() => expect(screen.getByTestId('a').textContent).toBe('OFFLINE'), { timeout: 5_000 });
  expect(screen.getByTestId('b').textContent).toBe('OFFLINE');
  await sleep(300);
  expect(tap.count('presence:subscribe')).toBe(1);
  act(() => setShown(false));
  await waitFor(() => expect(tap.count('presence:unsubscribe')).toBe(1), { timeout: 3_000 });
  expect(tap.count('presence:subscribe')).toBe(1);
});
