import { StrictMode, useRef } from 'react';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, expect, it } from 'vitest';
import AgoraRTM, { type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { RtmProvider, useChannel, useChannelMembers } from '@rtm-kit/react';
import { APP_ID, clientConfig, sleep } from './helpers.js';

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

const renders = { members: 0, messages: 0 };

function Members() {
  const { members, memberCount } = useChannelMembers('lobby');
  renders.members++;
  return (
    <p data-testid="members">
      {[...members].sort().join(',')} ({memberCount ?? '?'})
    </p>
  );
}

function Messages() {
  const { messages } = useChannel('lobby');
  renders.messages++;
  const seen = useRef(0);
  seen.current = messages.length;
  return <p data-testid="messages">{messages.map((m) => ('text' in m.message ? m.message.text : '')).join(' ')}</p>;
}

it('does not re-render a component that shows only members when a message arrives', async () => {
  render(
    <StrictMode>
      <RtmProvider client={AgoraRTM.createInstance(APP_ID, clientConfig(server.url))} uid="alice">
        <Members />
        <Messages />
      </RtmProvider>
    </StrictMode>,
  );
  bob = AgoraRTM.createInstance(APP_ID, clientConfig(server.url));
  await bob.login({ uid: 'bob' });
  const channel = bob.createChannel('lobby');
  await channel.join();
  await waitFor(() => expect(screen.getByTestId('members').textContent).toBe('alice,bob (2)'), { timeout: 5_000 });
  await sleep(1_200); // let MemberCountUpdated (throttled to 1/s) settle

  const membersBefore = renders.members;
  const messagesBefore = renders.messages;
  for (const text of ['one', 'two', 'three']) await channel.sendMessage({ text });
  await waitFor(() => expect(screen.getByTestId('messages').textContent).toBe('one two three'));
  expect(renders.messages).toBeGreaterThan(messagesBefore);
  expect(renders.members).toBe(membersBefore);

  // The member list itself still updates.
  await channel.leave();
  await waitFor(() => expect(screen.getByTestId('members').textContent).toMatch(/^alice \(/));
  expect(renders.members).toBeGreaterThan(membersBefore);
});
