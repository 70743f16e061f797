import { StrictMode, useEffect, useState } from 'react';
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, it } from 'vitest';
import AgoraRTM from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import {
  RtmProvider,
  useChannel,
  useChannelAttributes,
  useConnectionState,
  useInvitation,
  usePeerMessages,
  usePeerStatus,
  type MessageItem,
  type UseChannelAttributesResult,
  type UseChannelResult,
  type UseInvitationResult,
  type UsePeerMessagesResult,
} from '@rtm-kit/react';
import { APP_ID, sleep } from './helpers.js';

let server: RtmServer;
beforeEach(async () => {
  server = await startServer({ port: 0, logger: false });
});
afterEach(async () => {
  cleanup();
  await sleep(150);
  await server.close();
});

interface Handles {
  channel: UseChannelResult;
  conversation: UsePeerMessagesResult;
  invitation: UseInvitationResult;
  attributes: UseChannelAttributesResult;
}
const handles: Record<string, Handles> = {};

const show = (m: MessageItem) => `${m.from}: ${'text' in m.message ? m.message.text : '?'}${m.status === undefined ? '' : ` (${m.status})`}`;

/** What one user sees: everything the issue lists, on one screen. */
function User({ me, peer }: { me: string; peer: string }) {
  const connection = useConnectionState();
  const channel = useChannel('lobby');
  const conversation = usePeerMessages(peer);
  const status = usePeerStatus([peer]);
  const invitation = useInvitation();
  const attributes = useChannelAttributes('lobby');
  useEffect(() => {
    handles[me] = { channel, conversation, invitation, attributes };
  });
  return (
    <section aria-label={me}>
      <p data-testid="connection">{connection.state}</p>
      <p data-testid="channel">{channel.status}</p>
      <p data-testid="members">{[...channel.members].sort().join(',')}</p>
      <ol aria-label="channel messages">
        {channel.messages.map((m) => (
          <li key={m.id}>{show(m)}</li>
        ))}
      </ol>
      <ol aria-label="peer messages">
        {conversation.messages.map((m) => (
          <li key={m.id}>{show(m)}</li>
        ))}
      </ol>
      <p data-testid="presence">
        {peer} is {status[peer] ?? 'unknown'}
      </p>
      <ul aria-label="incoming calls">
        {invitation.incoming.map((i) => (
          <li key={i.id}>
            from {i.callerId}: {i.content} [{i.state}]
          </li>
        ))}
      </ul>
      <ul aria-label="outgoing calls">
        {invitation.outgoing.map((i) => (
          <li key={i.id}>
            to {i.calleeId}: [{i.state}] {i.response}
          </li>
        ))}
      </ul>
      <p data-testid="topic">topic: {attributes.attributes['topic']?.value ?? 'none'}</p>
    </section>
  );
}

let setBob: (uid: string | null) => void = () => undefined;

function App() {
  const [bobUid, set] = useState<string | null>(null);
  setBob = set;
  const config = { logFilter: AgoraRTM.LOG_FILTER_OFF };
  return (
    <>
      <RtmProvider appId={APP_ID} serverUrl={server.url} config={config} uid="alice">
        <User me="alice" peer="bob" />
      </RtmProvider>
      <RtmProvider appId={APP_ID} serverUrl={server.url} config={config} uid={bobUid}>
        <User me="bob" peer="alice" />
      </RtmProvider>
    </>
  );
}

const as = (user: string) => within(screen.getByRole('region', { name: user }));
const items = (user: string, list: string) => as(user).getByRole('list', { name: list }).textContent;
const LONG = { timeout: 5_000 };

it('two users chat, see each other come and go, call each other and share attributes', async () => {
  render(
    <StrictMode>
      <App />
    </StrictMode>,
  );

  // Alice is in; Bob is not logged in yet, so Alice sees him offline.
  await waitFor(() => expect(as('alice').getByTestId('channel').textContent).toBe('joined'), LONG);
  await waitFor(() => expect(as('alice').getByTestId('presence').textContent).toBe('bob is OFFLINE'), LONG);
  expect(as('bob').getByTestId('connection').textContent).toBe('DISCONNECTED');

  // Bob logs in: presence changes, he joins the lobby.
  act(() => setBob('bob'));
  await waitFor(() => expect(as('alice').getByTestId('presence').textContent).toBe('bob is ONLINE'), LONG);
  await waitFor(() => expect(as('bob').getByTestId('channel').textContent).toBe('joined'), LONG);
  await waitFor(() => expect(as('alice').getByTestId('members').textContent).toBe('alice,bob'), LONG);
  await waitFor(() => expect(as('bob').getByTestId('presence').textContent).toBe('alice is ONLINE'), LONG);

  // Channel message: shown to the sender at once, then sent; the other member receives it.
  await act(async () => {
    await (handles['alice'] as Handles).channel.sendMessage('hello lobby');
  });
  expect(items('alice', 'channel messages')).toBe('alice: hello lobby (sent)');
  await waitFor(() => expect(items('bob', 'channel messages')).toBe('alice: hello lobby'), LONG);

  // Peer message.
  await act(async () => {
    await (handles['bob'] as Handles).conversation.sendMessage('hi alice');
  });
  expect(items('bob', 'peer messages')).toBe('bob: hi alice (sent)');
  await waitFor(() => expect(items('alice', 'peer messages')).toBe('bob: hi alice'), LONG);

  // An invitation accepted...
  await act(async () => {
    await (handles['alice'] as Handles).invitation.call('bob', { content: 'first call' });
  });
  await waitFor(() => expect(items('bob', 'incoming calls')).toBe('from alice: first call [INVITATION_RECEIVED]'), LONG);
  const first = (handles['bob'] as Handles).invitation.incoming[0];
  await act(async () => {
    await (handles['bob'] as Handles).invitation.accept(first?.id as string, 'coming');
  });
  await waitFor(() => expect(items('alice', 'outgoing calls')).toBe('to bob: [ACCEPTED_BY_REMOTE] coming'), LONG);
  await waitFor(() => expect(items('bob', 'incoming calls')).toBe('from alice: first call [ACCEPTED]'), LONG);

  // ...and one refused.
  await act(async () => {
    await (handles['alice'] as Handles).invitation.call('bob', { content: 'second call' });
  });
  await waitFor(() => expect(as('bob').getAllByRole('listitem').some((li) => li.textContent === 'from alice: second call [INVITATION_RECEIVED]')).toBe(true), LONG);
  const second = (handles['bob'] as Handles).invitation.incoming[1];
  await act(async () => {
    await (handles['bob'] as Handles).invitation.refuse(second?.id as string, 'busy');
  });
  await waitFor(
    () => expect(items('alice', 'outgoing calls')).toBe('to bob: [ACCEPTED_BY_REMOTE] comingto bob: [REFUSED_BY_REMOTE] busy'),
    LONG,
  );

  // Channel attributes written with notification reach the other member.
  expect(as('bob').getByTestId('topic').textContent).toBe('topic: none');
  await act(async () => {
    await (handles['alice'] as Handles).attributes.addOrUpdate({ topic: 'standup' }, { enableNotificationToChannelMembers: true });
  });
  expect(as('alice').getByTestId('topic').textContent).toBe('topic: standup');
  await waitFor(() => expect(as('bob').getByTestId('topic').textContent).toBe('topic: standup'), LONG);

  // Bob logs out: presence and membership follow.
  act(() => setBob(null));
  await waitFor(() => expect(as('alice').getByTestId('presence').textContent).toBe('bob is OFFLINE'), LONG);
  await waitFor(() => expect(as('alice').getByTestId('members').textContent).toBe('alice'), LONG);
  expect(as('bob').getByTestId('connection').textContent).toBe('DISCONNECTED');
  // Bob's session data went with his logout.
  expect(items('bob', 'channel messages')).toBe('');
});
