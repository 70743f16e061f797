import { Profiler } from 'react';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, it } from 'vitest';
import AgoraRTM, { type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { ChatMessage, ChatPanel, MemberList, MessageList, type ChatMessageProps } from '@rtm-kit/ui';
import { APP_ID, AsUser, sleep } from './helpers.js';

let server: RtmServer;
let bob: RtmClient;
beforeEach(async () => {
  server = await startServer({ port: 0, logger: false });
  bob = AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, logFilter: AgoraRTM.LOG_FILTER_OFF });
  await bob.login({ uid: 'bob' });
});
afterEach(async () => {
  cleanup();
  await bob.logout().catch(() => undefined);
  await sleep(150);
  await server.close();
});

/** Renders of each message row, by message id. */
const renders = new Map<string, number>();
function CountingMessage(props: ChatMessageProps) {
  renders.set(props.row.item.id, (renders.get(props.row.item.id) ?? 0) + 1);
  return <ChatMessage {...props} />;
}
const total = () => [...renders.values()].reduce((a, b) => a + b, 0);

it('renders one new row for one new message, not the whole list', async () => {
  renders.clear();
  const lobby = bob.createChannel('lobby');
  await lobby.join();
  render(
    <AsUser serverUrl={server.url} uid="alice">
      <ChatPanel channelId="lobby" messageComponent={CountingMessage} />
    </AsUser>,
  );
  const log = screen.getByRole('log', { name: 'Messages in lobby' });
  await waitFor(() => expect((screen.getByRole('textbox', { name: 'Message lobby' }) as HTMLTextAreaElement).disabled).toBe(false), { timeout: 5_000 });
  for (let i = 0; i < 30; i++) await lobby.sendMessage({ text: `m${i}` });
  await waitFor(() => expect(within(log).getByText('m29')).toBeTruthy(), { timeout: 5_000 });
  await sleep(200);
  const before = total();
  const rowsBefore = renders.size;

  await lobby.sendMessage({ text: 'one more' });
  await waitFor(() => expect(within(log).getByText('one more')).toBeTruthy(), { timeout: 3_000 });
  await sleep(200);
  expect(renders.size).toBe(rowsBefore + 1);
  expect(total() - before).toBe(1);
});

it('does not re-render the member list when a message arrives', async () => {
  const lobby = bob.createChannel('lobby');
  await lobby.join();
  let memberListCommits = 0;
  render(
    <AsUser serverUrl={server.url} uid="alice">
      <MessageList channelId="lobby" />
      <Profiler id="members" onRender={() => void memberListCommits++}>
        <MemberList channelId="lobby" />
      </Profiler>
    </AsUser>,
  );
  const members = screen.getByRole('list', { name: 'Members of lobby' });
  await waitFor(() => expect(within(members).getByText('bob')).toBeTruthy(), { timeout: 5_000 });
  await waitFor(() => expect(within(members).getAllByRole('img', { name: 'Online' })).toHaveLength(2), { timeout: 5_000 });
  await sleep(1_500); // let the member count and statuses settle
  const before = memberListCommits;
  for (let i = 0; i < 5; i++) await lobby.sendMessage({ text: `n${i}` });
  await waitFor(() => expect(within(screen.getByRole('log', { name: 'Messages in lobby' })).getByText('n4')).toBeTruthy(), { timeout: 3_000 });
  await sleep(200);
  expect(memberListCommits).toBe(before);
});
