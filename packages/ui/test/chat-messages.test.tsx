import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import AgoraRTM, { type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import type { MessageItem } from '@rtm-kit/react';
import { ChatPanel, linkify, MessageListView, useFirstItemIndex } from '@rtm-kit/ui';
import { isDisabled, messageOf } from './chat-helpers.js';
import { APP_ID, AsUser, sleep } from './helpers.js';

let server: RtmServer | null = null;
const clients: RtmClient[] = [];
afterEach(async () => {
  cleanup();
  await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
  await sleep(150);
  await server?.close();
  server = null;
});

async function start(options: Parameters<typeof startServer>[0] = {}): Promise<RtmServer> {
  server = await startServer({ port: 0, logger: false, ...options });
  return server;
}

async function loggedIn(url: string, uid: string): Promise<RtmClient> {
  const client = AgoraRTM.createInstance(APP_ID, { serverUrl: url, logFilter: AgoraRTM.LOG_FILTER_OFF });
  clients.push(client);
  await client.login({ uid });
  return client;
}

async function enabled(box: HTMLElement): Promise<void> {
  await waitFor(() => expect(isDisabled(box)).toBe(false), { timeout: 5_000 });
}

describe('delivery states', () => {
  it('marks a failed send with Retry, and Retry sends it', async () => {
    // One message per 1.5 s: the second send is refused (PEER/CHANNEL_MESSAGE_ERR_TOO_OFTEN).
    const { url } = await start({ limits: { messageRate: { count: 1, windowMs: 1_500 } } });
    const bob = await loggedIn(url, 'bob');
    const lobby = bob.createChannel('lobby');
    const seen: string[] = [];
    lobby.on('ChannelMessage', (m) => seen.push('text' in m ? m.text : ''));
    await lobby.join();
    const user = userEvent.setup();
    render(
      <AsUser serverUrl={url} uid="alice">
        <ChatPanel channelId="lobby" />
      </AsUser>,
    );
    const box = screen.getByRole('textbox', { name: 'Message lobby' });
    await enabled(box);
    await user.type(box, 'first{Enter}');
    await user.type(box, 'second{Enter}');
    const log = screen.getByRole('log', { name: 'Messages in lobby' });
    await waitFor(() => expect(messageOf(within(log).getByText('second')).dataset['state']).toBe('failed'), { timeout: 3_000 });
    const failed = messageOf(within(log).getByText('second'));
    expect(within(failed).getByText('Not sent')).toBeTruthy();
    expect(messageOf(within(log).getByText('first')).dataset['state']).toBe('sent');

    await sleep(1_600);
    await user.click(within(failed).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(messageOf(within(log).getByText('second')).dataset['state']).toBe('sent'), { timeout: 3_000 });
    expect(within(log).queryByRole('button', { name: 'Retry' })).toBeNull();
    await waitFor(() => expect(seen).toEqual(['first', 'second']));
  });

  it('shows a message to an offline peer as stored for later delivery, and the peer gets it at login', async () => {
    const { url } = await start();
    const user = userEvent.setup();
    render(
      <div data-testid="alice">
        <AsUser serverUrl={url} uid="alice">
          <ChatPanel peerId="carol" />
        </AsUser>
      </div>,
    );
    const box = screen.getByRole('textbox', { name: 'Message carol' });
    await enabled(box);
    await user.type(box, 'call me back{Enter}');
    const log = screen.getByRole('log', { name: 'Messages with carol' });
    await waitFor(() => expect(messageOf(within(log).getByText('call me back')).dataset['state']).toBe('stored'), { timeout: 3_000 });
    expect(within(log).getByText('Stored for later delivery')).toBeTruthy();

    render(
      <div data-testid="carol">
        <AsUser serverUrl={url} uid="carol">
          <ChatPanel peerId="alice" />
        </AsUser>
      </div>,
    );
    const carolLog = within(screen.getByTestId('carol')).getByRole('log', { name: 'Messages with alice' });
    await waitFor(() => expect(within(carolLog).getByText('call me back')).toBeTruthy(), { timeout: 5_000 });
    expect(within(messageOf(within(carolLog).getByText('call me back'))).getByText('Sent while you were away')).toBeTruthy();
  });

  it('says "not delivered" when offline messaging is turned off and the peer is offline', async () => {
    const { url } = await start();
    const user = userEvent.setup();
    render(
      <AsUser serverUrl={url} uid="alice">
        <ChatPanel peerId="dave" offlineMessaging={false} />
      </AsUser>,
    );
    const box = screen.getByRole('textbox', { name: 'Message dave' });
    await enabled(box);
    await user.type(box, 'anyone?{Enter}');
    const log = screen.getByRole('log', { name: 'Messages with dave' });
    await waitFor(() => expect(messageOf(within(log).getByText('anyone?')).dataset['state']).toBe('undelivered'), { timeout: 3_000 });
    expect(within(log).getByText('Not delivered: dave is offline')).toBeTruthy();
  });
});

describe('message text', () => {
  it('renders markup as text and links only http(s) addresses, opening safely', async () => {
    const { url } = await start();
    const bob = await loggedIn(url, 'bob');
    render(
      <AsUser serverUrl={url} uid="alice">
        <ChatPanel peerId="bob" />
      </AsUser>,
    );
    await enabled(screen.getByRole('textbox', { name: 'Message bob' }));
    const text =
      '<script>window.pwned = true</script><img src=x onerror="window.pwned=true"> javascript:window.pwned=true ' +
      'JAVASCRIPT://example.com/%0aalert(1) data:text/html,hi see https://example.com/a?b=1&c=2. (also http://example.org/x)';
    await bob.sendMessageToPeer({ text }, 'alice');
    const log = screen.getByRole('log', { name: 'Messages with bob' });
    await waitFor(() => expect(log.querySelector('.rtm-chat-message-text')).not.toBeNull(), { timeout: 3_000 });
    const body = log.querySelector('.rtm-chat-message-text') as HTMLElement;
    expect(body.textContent).toBe(text);
    expect(log.querySelector('script')).toBeNull();
    expect(log.querySelector('img')).toBeNull();
    expect((window as { pwned?: boolean }).pwned).toBeUndefined();
    const links = within(log).getAllByRole('link');
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://example.com/a?b=1&c=2', 'http://example.org/x']);
    expect(links.map((a) => a.textContent)).toEqual(['https://example.com/a?b=1&c=2', 'http://example.org/x']);
    for (const link of links) {
      expect(link.getAttribute('target')).toBe('_blank');
      expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    }
  });

  it('linkify keeps every other scheme as text', () => {
    expect(linkify('javascript:alert(1)')).toEqual([{ kind: 'text', text: 'javascript:alert(1)' }]);
    expect(linkify('go to https://a.example/(x) now')).toEqual([
      { kind: 'text', text: 'go to ' },
      { kind: 'link', text: 'https://a.example/(x)', href: 'https://a.example/(x)' },
      { kind: 'text', text: ' now' },
    ]);
    expect(linkify('(https://a.example/path)')).toEqual([
      { kind: 'text', text: '(' },
      { kind: 'link', text: 'https://a.example/path', href: 'https://a.example/path' },
      { kind: 'text', text: ')' },
    ]);
    expect(linkify('http:// and https://')).toEqual([{ kind: 'text', text: 'http:// and https://' }]);
  });
});

describe('grouping and days', () => {
  it('shows the sender once per run of messages', async () => {
    const { url } = await start();
    const bob = await loggedIn(url, 'bob');
    const lobby = bob.createChannel('lobby');
    await lobby.join();
    const user = userEvent.setup();
    render(
      <AsUser serverUrl={url} uid="alice">
        <ChatPanel channelId="lobby" showMembers={false} />
      </AsUser>,
    );
    const box = screen.getByRole('textbox', { name: 'Message lobby' });
    await enabled(box);
    for (const text of ['one', 'two', 'three']) await lobby.sendMessage({ text });
    const log = screen.getByRole('log', { name: 'Messages in lobby' });
    await waitFor(() => expect(within(log).getByText('three')).toBeTruthy(), { timeout: 3_000 });
    expect(within(log).getAllByText('bob')).toHaveLength(1);
    expect(['one', 'two', 'three'].map((t) => messageOf(within(log).getByText(t)).dataset['group'])).toEqual(['start', 'continue', 'continue']);

    await user.type(box, 'mine{Enter}');
    await lobby.sendMessage({ text: 'four' });
    await waitFor(() => expect(within(log).getByText('four')).toBeTruthy(), { timeout: 3_000 });
    expect(within(log).getAllByText('bob')).toHaveLength(2);
    expect(within(log).getAllByText('You')).toHaveLength(1);
    expect(messageOf(within(log).getByText('four')).dataset['group']).toBe('start');
    // All on one day: one separator, "Today".
    expect(within(log).getAllByRole('separator').map((s) => s.getAttribute('aria-label'))).toEqual(['Today']);
  });

  it('puts a day separator above the first message of each day', () => {
    const today = new Date();
    today.setHours(12, 0, 0, 0);
    const at = (daysAgo: number, minutes = 0) => today.getTime() - daysAgo * 86_400_000 + minutes * 60_000;
    const item = (id: string, from: string, ts: number, text: string): MessageItem => ({
      id,
      from,
      serverReceivedTs: ts,
      message: { text, messageType: 'TEXT' },
    });
    const messages = [
      item('1', 'bob', at(3), 'long ago'),
      item('2', 'bob', at(1), 'yesterday a'),
      item('3', 'bob', at(1, 1), 'yesterday b'),
      item('4', 'bob', at(0), 'today a'),
      item('5', 'bob', at(0, 30), 'today after a pause'),
    ];
    render(<MessageListView messages={messages} uid="alice" label="Messages in lobby" strings={{ formatDay: (d) => `day ${d.getDate()}` }} />);
    const log = screen.getByRole('log', { name: 'Messages in lobby' });
    const threeDaysAgo = new Date(at(3));
    expect(within(log).getAllByRole('separator').map((s) => s.getAttribute('aria-label'))).toEqual([`day ${threeDaysAgo.getDate()}`, 'Yesterday', 'Today']);
    // A new day and a pause of more than five minutes both start a new group.
    expect(within(log).getAllByText('bob')).toHaveLength(4);
    expect(messageOf(within(log).getByText('yesterday b')).dataset['group']).toBe('continue');
  });
});

describe('following the newest message', () => {
  it('offers "N new messages" while the user reads older ones, and jumps down on click', async () => {
    const { url } = await start();
    const bob = await loggedIn(url, 'bob');
    const lobby = bob.createChannel('lobby');
    await lobby.join();
    const user = userEvent.setup();
    render(
      <AsUser serverUrl={url} uid="alice">
        <ChatPanel channelId="lobby" />
      </AsUser>,
    );
    const box = screen.getByRole('textbox', { name: 'Message lobby' });
    await enabled(box);
    await lobby.sendMessage({ text: 'first' });
    const log = screen.getByRole('log', { name: 'Messages in lobby' });
    await waitFor(() => expect(within(log).getByText('first')).toBeTruthy(), { timeout: 3_000 });

    // This DOM has no layout: give the log a scroll geometry and scroll it up.
    let scrollTop = 0;
    Object.defineProperty(log, 'scrollHeight', { configurable: true, get: () => 2_000 });
    Object.defineProperty(log, 'clientHeight', { configurable: true, get: () => 300 });
    Object.defineProperty(log, 'scrollTop', { configurable: true, get: () => scrollTop, set: (v: number) => void (scrollTop = v) });
    fireEvent.scroll(log);

    for (const text of ['a', 'b', 'c']) await lobby.sendMessage({ text });
    await waitFor(() => expect(screen.getByRole('button', { name: '3 new messages' })).toBeTruthy(), { timeout: 3_000 });
    expect(scrollTop).toBe(0);

    await user.click(screen.getByRole('button', { name: '3 new messages' }));
    expect(scrollTop).toBe(2_000);
    expect(screen.queryByRole('button', { name: /new message/ })).toBeNull();

    // Scrolled up again, own messages still take the user down.
    scrollTop = 0;
    fireEvent.scroll(log);
    await lobby.sendMessage({ text: 'd' });
    await waitFor(() => expect(screen.getByRole('button', { name: '1 new message' })).toBeTruthy(), { timeout: 3_000 });
    await user.type(box, 'my reply{Enter}');
    await waitFor(() => expect(scrollTop).toBe(2_000));
    expect(screen.queryByRole('button', { name: /new message/ })).toBeNull();
  });

  it('keeps the first item index in step with prepended and dropped messages', () => {
    const list = (ids: string[]) => ids.map((id) => ({ id }));
    let current = list(['c', 'd']);
    const seen: number[] = [];
    function Probe({ items }: { items: { id: string }[] }) {
      seen.push(useFirstItemIndex(items));
      return null;
    }
    const { rerender } = render(<Probe items={current} />);
    const start = seen.at(-1) as number;
    current = list(['a', 'b', 'c', 'd']); // two older messages loaded
    rerender(<Probe items={current} />);
    expect(seen.at(-1)).toBe(start - 2);
    current = list(['a', 'b', 'c', 'd', 'e']); // appended: no change
    rerender(<Probe items={current} />);
    expect(seen.at(-1)).toBe(start - 2);
    current = list(['d', 'e', 'f']); // the oldest three dropped by the store's cap
    rerender(<Probe items={current} />);
    expect(seen.at(-1)).toBe(start + 1);
  });
});
