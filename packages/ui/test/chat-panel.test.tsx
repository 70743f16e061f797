import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import AgoraRTM, { type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { ChatPanel } from '@rtm-kit/ui';
import { droppableClient, isDisabled, messageOf, WithClient } from './chat-helpers.js';
import { APP_ID, AsUser, sleep } from './helpers.js';

let server: RtmServer;
const clients: RtmClient[] = [];
beforeEach(async () => {
  server = await startServer({ port: 0, logger: false });
});
afterEach(async () => {
  cleanup();
  await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
  await sleep(150);
  await server.close();
});

/** A second user driven with the 1.x client directly. */
async function loggedIn(uid: string): Promise<RtmClient> {
  const client = AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, logFilter: AgoraRTM.LOG_FILTER_OFF });
  clients.push(client);
  await client.login({ uid });
  return client;
}

function panelOf(container: HTMLElement): HTMLElement {
  const panel = container.querySelector<HTMLElement>('.rtm-chat');
  if (panel === null) throw new Error('no panel');
  return panel;
}

async function enabled(box: HTMLElement): Promise<void> {
  await waitFor(() => expect(isDisabled(box)).toBe(false), { timeout: 5_000 });
}

describe('ChatPanel for a channel', () => {
  it("shows a message typed and sent with Enter in one panel in the other panel's log", async () => {
    const user = userEvent.setup();
    render(
      <>
        <div data-testid="alice">
          <AsUser serverUrl={server.url} uid="alice">
            <ChatPanel channelId="lobby" />
          </AsUser>
        </div>
        <div data-testid="bob">
          <AsUser serverUrl={server.url} uid="bob">
            <ChatPanel channelId="lobby" />
          </AsUser>
        </div>
      </>,
    );
    const alice = within(screen.getByTestId('alice'));
    const bob = within(screen.getByTestId('bob'));
    const box = alice.getByRole('textbox', { name: 'Message lobby' });
    await enabled(box);
    await enabled(bob.getByRole('textbox', { name: 'Message lobby' }));
    expect(panelOf(screen.getByTestId('bob')).dataset['state']).toBe('empty');
    expect(within(bob.getByRole('log', { name: 'Messages in lobby' })).getByText('No messages yet. Say hello!')).toBeTruthy();

    await user.type(box, 'hello bob{Enter}');
    expect((box as HTMLTextAreaElement).value).toBe('');
    const bobLog = bob.getByRole('log', { name: 'Messages in lobby' });
    await waitFor(() => expect(within(bobLog).getByText('hello bob')).toBeTruthy(), { timeout: 3_000 });
    const aliceLog = alice.getByRole('log', { name: 'Messages in lobby' });
    await waitFor(() => expect(messageOf(within(aliceLog).getByText('hello bob')).dataset['state']).toBe('sent'));
    expect(messageOf(within(bobLog).getByText('hello bob')).dataset['state']).toBe('received');
    expect(within(messageOf(within(bobLog).getByText('hello bob'))).getByText('alice')).toBeTruthy();
    expect(within(messageOf(within(aliceLog).getByText('hello bob'))).getByText('You')).toBeTruthy();
    expect(panelOf(screen.getByTestId('bob')).dataset['state']).toBe('ready');

    // And back: bob answers by clicking Send.
    await user.type(bob.getByRole('textbox', { name: 'Message lobby' }), 'hi alice');
    await user.click(bob.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(within(aliceLog).getByText('hi alice')).toBeTruthy(), { timeout: 3_000 });
  });

  it('shows the channel name, the topic from the channel attributes (live), the members with online dots and the count', async () => {
    const carol = await loggedIn('carol');
    await carol.addOrUpdateChannelAttributes('lobby', { topic: 'Release planning' });
    const carolLobby = carol.createChannel('lobby');
    await carolLobby.join();
    render(
      <AsUser serverUrl={server.url} uid="alice">
        <ChatPanel channelId="lobby" />
      </AsUser>,
    );
    expect(screen.getByRole('heading', { name: '#lobby' })).toBeTruthy();
    await waitFor(() => expect(screen.getByText('Release planning')).toBeTruthy(), { timeout: 5_000 });
    const members = screen.getByRole('list', { name: 'Members of lobby' });
    await waitFor(() => expect(within(members).getByText('carol')).toBeTruthy(), { timeout: 5_000 });
    await waitFor(() => expect(within(members).getByText('alice')).toBeTruthy());
    await waitFor(() => expect(within(members).getAllByRole('img', { name: 'Online' })).toHaveLength(2), { timeout: 5_000 });
    await waitFor(() => expect(screen.getAllByText('2 members').length).toBeGreaterThan(0), { timeout: 5_000 });

    // Another member changes the topic: the header follows.
    await carol.addOrUpdateChannelAttributes('lobby', { topic: 'Ship it' }, { enableNotificationToChannelMembers: true });
    await waitFor(() => expect(screen.getByText('Ship it')).toBeTruthy(), { timeout: 3_000 });

    // A member leaves: gone from the list, the count follows. (The server's count throttle
    // folds a 1 → 2 → 1 within one period into "no change" although the joiner was told 2, so
    // the leave waits out the period.)
    await sleep(1_200);
    await carolLobby.leave();
    await waitFor(() => expect(within(members).queryByText('carol')).toBeNull(), { timeout: 3_000 });
    await waitFor(() => expect(screen.getAllByText('1 member').length).toBeGreaterThan(0), { timeout: 5_000 });
  });

  it('reads the topic from the attribute named by topicKey, and edits it when topicEditable', async () => {
    const user = userEvent.setup();
    const carol = await loggedIn('carol');
    await carol.addOrUpdateChannelAttributes('lobby', { subject: 'From subject' });
    render(
      <AsUser serverUrl={server.url} uid="alice">
        <ChatPanel channelId="lobby" topicKey="subject" topicEditable />
      </AsUser>,
    );
    await waitFor(() => expect(screen.getByText('From subject')).toBeTruthy(), { timeout: 5_000 });
    await user.click(screen.getByRole('button', { name: 'Edit topic' }));
    const input = screen.getByRole('textbox', { name: 'New topic' });
    await user.clear(input);
    await user.type(input, 'Edited here');
    await user.click(screen.getByRole('button', { name: 'Save topic' }));
    await waitFor(() => expect(screen.getByText('Edited here')).toBeTruthy(), { timeout: 3_000 });
    expect((await carol.getChannelAttributesByKeys('lobby', ['subject']))['subject']?.value).toBe('Edited here');
  });

  it('passes through loading, then reconnecting (composer disabled with the reason), then ready again', async () => {
    const net = droppableClient(server.url);
    clients.push(net.client);
    const { container } = render(
      <WithClient client={net.client} uid="alice">
        <ChatPanel channelId="lobby" />
      </WithClient>,
    );
    const panel = panelOf(container);
    const box = screen.getByRole('textbox', { name: 'Message lobby' });
    expect(panel.dataset['state']).toBe('loading');
    expect(isDisabled(box)).toBe(true);
    await enabled(box);
    expect(panel.dataset['state']).toBe('empty');

    net.drop();
    await waitFor(() => expect(panel.dataset['state']).toBe('reconnecting'), { timeout: 5_000 });
    expect(isDisabled(box)).toBe(true);
    expect(container.querySelector('.rtm-chat-composer')?.getAttribute('data-state')).toBe('disabled');
    expect(screen.getByText('Reconnecting… You can send again once the connection is back.')).toBeTruthy();
    expect(box.getAttribute('aria-describedby')).toContain(screen.getByText('Reconnecting… You can send again once the connection is back.').id);

    await waitFor(() => expect(panel.dataset['state']).toBe('empty'), { timeout: 6_000 });
    expect(isDisabled(box)).toBe(false);
  });

  it('goes offline with the reason when the session ends elsewhere', async () => {
    const { container } = render(
      <AsUser serverUrl={server.url} uid="alice">
        <ChatPanel channelId="lobby" />
      </AsUser>,
    );
    const box = screen.getByRole('textbox', { name: 'Message lobby' });
    await enabled(box);
    await loggedIn('alice'); // the same uid logging in elsewhere: ABORTED/REMOTE_LOGIN here
    await waitFor(() => expect(panelOf(container).dataset['state']).toBe('offline'), { timeout: 5_000 });
    expect(isDisabled(box)).toBe(true);
    expect(screen.getByText('You are offline.')).toBeTruthy();
    expect(screen.getByText('You are offline. Sign in again to send messages.')).toBeTruthy();
  });

  it('shows a failed join as an error with Try again', async () => {
    const user = userEvent.setup();
    const { container } = render(
      <AsUser serverUrl={server.url} uid="alice">
        <ChatPanel channelId="bad/channel" />
      </AsUser>,
    );
    await waitFor(() => expect(panelOf(container).dataset['state']).toBe('error'), { timeout: 5_000 });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Could not join bad/channel');
    expect(isDisabled(screen.getByRole('textbox', { name: 'Message bad/channel' }))).toBe(true);
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(panelOf(container).dataset['state']).toBe('error'), { timeout: 5_000 });
  });

  it('applies strings and theme, and refuses to render without exactly one target', () => {
    const { container } = render(
      <AsUser serverUrl={server.url} uid="alice">
        <ChatPanel channelId="lobby" theme="dark" strings={{ messageTo: (t) => `Schreib an ${t}`, send: 'Senden' }} />
      </AsUser>,
    );
    expect(panelOf(container).dataset['theme']).toBe('dark');
    expect(screen.getByRole('textbox', { name: 'Schreib an lobby' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Senden' })).toBeTruthy();
    cleanup();

    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const both = { channelId: 'lobby', peerId: 'bob' } as unknown as { channelId: string };
      expect(() =>
        render(
          <AsUser serverUrl={server.url} uid="alice">
            <ChatPanel {...both} />
          </AsUser>,
        ),
      ).toThrow('`ChatPanel` needs exactly one of `channelId` or `peerId`.');
    } finally {
      spy.mockRestore();
    }
  });
});

describe('ChatPanel for a peer', () => {
  it('carries messages both ways between two panels, with the peer online status in the header', async () => {
    const user = userEvent.setup();
    render(
      <>
        <div data-testid="alice">
          <AsUser serverUrl={server.url} uid="alice">
            <ChatPanel peerId="bob" />
          </AsUser>
        </div>
        <div data-testid="bob">
          <AsUser serverUrl={server.url} uid="bob">
            <ChatPanel peerId="alice" />
          </AsUser>
        </div>
      </>,
    );
    const alice = within(screen.getByTestId('alice'));
    const bob = within(screen.getByTestId('bob'));
    expect(alice.getByRole('heading', { name: 'bob' })).toBeTruthy();
    expect(alice.getByRole('button', { name: 'Call bob' })).toBeTruthy();
    const box = alice.getByRole('textbox', { name: 'Message bob' });
    await enabled(box);
    await enabled(bob.getByRole('textbox', { name: 'Message alice' }));
    await waitFor(() => expect(alice.getByText('Online')).toBeTruthy(), { timeout: 5_000 });
    expect(within(alice.getByRole('log', { name: 'Messages with bob' })).getByText('No messages with bob yet.')).toBeTruthy();

    await user.type(box, 'hi bob{Enter}');
    const bobLog = bob.getByRole('log', { name: 'Messages with alice' });
    await waitFor(() => expect(within(bobLog).getByText('hi bob')).toBeTruthy(), { timeout: 3_000 });
    const aliceLog = alice.getByRole('log', { name: 'Messages with bob' });
    await waitFor(() => expect(messageOf(within(aliceLog).getByText('hi bob')).dataset['state']).toBe('sent'));

    await user.type(bob.getByRole('textbox', { name: 'Message alice' }), 'hi alice{Enter}');
    await waitFor(() => expect(within(aliceLog).getByText('hi alice')).toBeTruthy(), { timeout: 3_000 });
  });

  it('shows the peer going offline', async () => {
    const bob = await loggedIn('bob');
    render(
      <AsUser serverUrl={server.url} uid="alice">
        <ChatPanel peerId="bob" />
      </AsUser>,
    );
    await waitFor(() => expect(screen.getByText('Online')).toBeTruthy(), { timeout: 5_000 });
    expect(screen.getByText('Online').closest('.rtm-chat-presence')?.getAttribute('data-state')).toBe('online');
    await bob.logout();
    await waitFor(() => expect(screen.getByText('Offline')).toBeTruthy(), { timeout: 5_000 });
    expect(screen.getByText('Offline').closest('.rtm-chat-presence')?.getAttribute('data-state')).toBe('offline');
  });
});
