import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import AgoraRTM, { type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { ChatPanel } from '@rtm-kit/ui';
import { droppableClient, isDisabled, WithClient } from './chat-helpers.js';
import { APP_ID, AsUser, axeViolations, sleep } from './helpers.js';

let server: RtmServer;
const clients: RtmClient[] = [];
beforeEach(async () => {
  // One message per second, so a second quick send fails and shows Retry.
  server = await startServer({ port: 0, logger: false, limits: { messageRate: { count: 1, windowMs: 1_000 } } });
});
afterEach(async () => {
  cleanup();
  await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
  await sleep(150);
  await server.close();
});

const PNG = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAFklEQVR4nGP4z8DwHwyBNAMDA8N/AH6rB/nSL3u3AAAAAElFTkSuQmCC'),
  (c) => c.charCodeAt(0),
);

function panel(): HTMLElement {
  return document.querySelector('.rtm-chat') as HTMLElement;
}

async function loggedIn(uid: string): Promise<RtmClient> {
  const client = AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, logFilter: AgoraRTM.LOG_FILTER_OFF });
  clients.push(client);
  await client.login({ uid });
  return client;
}

// The app owns the page's landmarks (the panel is a named group): each test renders the panel
// inside <main>, as an app would.
describe.each(['light', 'dark'] as const)('axe, %s theme', (theme) => {
  it('finds no violations while loading, empty, with messages of every kind, and with the new-messages button', async () => {
    const user = userEvent.setup();
    const bob = await loggedIn('bob');
    const lobby = bob.createChannel('lobby');
    await lobby.join();
    await bob.addOrUpdateChannelAttributes('lobby', { topic: 'Accessible chat' });
    render(
      <main>
        <AsUser serverUrl={server.url} uid="alice">
          <ChatPanel channelId="lobby" theme={theme} topicEditable onSelectMember={() => undefined} />
        </AsUser>
      </main>,
    );
    expect(panel().dataset['state']).toBe('loading');
    expect(panel().dataset['theme']).toBe(theme);
    expect(await axeViolations()).toEqual([]);

    const box = screen.getByRole('textbox', { name: 'Message lobby' });
    await waitFor(() => expect(panel().dataset['state']).toBe('empty'), { timeout: 5_000 });
    await waitFor(() => expect(screen.getByText('Accessible chat')).toBeTruthy(), { timeout: 3_000 });
    expect(await axeViolations()).toEqual([]);

    await lobby.sendMessage({ text: 'see https://example.com <b>not bold</b>' });
    await user.type(box, 'first{Enter}');
    await user.type(box, 'too soon{Enter}');
    const log = screen.getByRole('log', { name: 'Messages in lobby' });
    await waitFor(() => expect(within(log).getByRole('button', { name: 'Retry' })).toBeTruthy(), { timeout: 3_000 });
    await user.upload(screen.getByLabelText('Attach file'), new File([PNG], 'dot.png', { type: 'image/png' }));
    await waitFor(() => expect(within(log).getByRole('img', { name: 'Image dot.png' })).toBeTruthy(), { timeout: 5_000 });
    await user.upload(screen.getByLabelText('Attach file'), new File([], 'empty.txt'));
    expect(panel().dataset['state']).toBe('ready');
    expect(await axeViolations()).toEqual([]);

    // Scrolled up while messages arrive: the jump button.
    let scrollTop = 0;
    Object.defineProperty(log, 'scrollHeight', { configurable: true, get: () => 2_000 });
    Object.defineProperty(log, 'clientHeight', { configurable: true, get: () => 300 });
    Object.defineProperty(log, 'scrollTop', { configurable: true, get: () => scrollTop, set: (v: number) => void (scrollTop = v) });
    fireEvent.scroll(log);
    await sleep(1_000);
    await lobby.sendMessage({ text: 'while away' });
    await waitFor(() => expect(screen.getByRole('button', { name: '1 new message' })).toBeTruthy(), { timeout: 3_000 });
    // The topic editor open, and the composer over its limit.
    await user.click(screen.getByRole('button', { name: 'Edit topic' }));
    fireEvent.change(box, { target: { value: 'x'.repeat(40_000) } });
    expect(await axeViolations()).toEqual([]);
  });

  it('finds no violations while reconnecting, offline, in a failed join, and in a conversation', async () => {
    const net = droppableClient(server.url);
    clients.push(net.client);
    const { unmount } = render(
      <main>
        <WithClient client={net.client} uid="alice">
          <ChatPanel channelId="lobby" theme={theme} />
        </WithClient>
      </main>,
    );
    await waitFor(() => expect(panel().dataset['state']).toBe('empty'), { timeout: 5_000 });
    net.drop();
    await waitFor(() => expect(panel().dataset['state']).toBe('reconnecting'), { timeout: 5_000 });
    expect(await axeViolations()).toEqual([]);
    await waitFor(() => expect(panel().dataset['state']).toBe('empty'), { timeout: 10_000 });
    unmount();

    render(
      <main>
        <AsUser serverUrl={server.url} uid="carol">
          <ChatPanel channelId="bad/channel" theme={theme} />
        </AsUser>
      </main>,
    );
    await waitFor(() => expect(panel().dataset['state']).toBe('error'), { timeout: 5_000 });
    expect(await axeViolations()).toEqual([]);
    cleanup();

    // Another user than the one above: the server allows a user 2 logins a second.
    await loggedIn('bob');
    render(
      <main>
        <AsUser serverUrl={server.url} uid="erin">
          <ChatPanel peerId="bob" theme={theme} />
        </AsUser>
      </main>,
    );
    await waitFor(() => expect(isDisabled(screen.getByRole('textbox', { name: 'Message bob' }))).toBe(false), { timeout: 5_000 });
    await waitFor(() => expect(screen.getByText('Online')).toBeTruthy(), { timeout: 5_000 });
    expect(await axeViolations()).toEqual([]);

    await loggedIn('erin'); // signed in elsewhere: this panel goes offline
    await waitFor(() => expect(panel().dataset['state']).toBe('offline'), { timeout: 5_000 });
    expect(await axeViolations()).toEqual([]);
  });
});
