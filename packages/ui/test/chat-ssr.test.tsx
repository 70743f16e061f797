// @vitest-environment node
import { renderToString } from 'react-dom/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import AgoraRTM from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { RtmProvider, type MessageItem } from '@rtm-kit/react';
import { APP_ID, sleep } from './helpers.js';

let server: RtmServer;
beforeAll(async () => {
  server = await startServer({ port: 0, logger: false });
});
afterAll(async () => {
  await server.close();
});

it('imports without a DOM and renders ChatPanel to a string without connecting', async () => {
  expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
  const { ChatPanel } = await import('@rtm-kit/ui');
  const html = renderToString(
    <RtmProvider appId={APP_ID} serverUrl={server.url} uid="alice" config={{ logFilter: AgoraRTM.LOG_FILTER_OFF }}>
      <ChatPanel channelId="lobby" theme="dark" />
      <ChatPanel peerId="bob" />
    </RtmProvider>,
  );
  expect(html).toContain('class="rtm-chat" data-state="loading" data-kind="channel" data-theme="dark" aria-label="Chat in lobby"');
  expect(html).toContain('role="log" aria-label="Messages in lobby"');
  expect(html).toContain('aria-label="Message lobby"');
  expect(html).toContain('aria-label="Messages with bob"');
  expect(html).toContain('Joining lobby…');
  expect(html).toContain('data-state="disabled"');
  await sleep(200);
  expect(await server.core.sessions.get(APP_ID, 'alice')).toBeNull();
});

it('renders the newest messages of a long list on the server (no layout there to virtualize with)', async () => {
  const { MessageListView } = await import('@rtm-kit/ui');
  const messages: MessageItem[] = Array.from({ length: 1_000 }, (_, i) => ({
    id: `m${i}`,
    from: i % 3 === 0 ? 'alice' : 'bob',
    serverReceivedTs: Date.UTC(2026, 0, 1, 12) + i * 1_000,
    message: { text: `message ${i} <b>&amp;</b>`, messageType: 'TEXT' },
  }));
  const html = renderToString(<MessageListView messages={messages} uid="alice" label="Messages in lobby" />);
  expect(html).toContain('message 999 &lt;b&gt;&amp;amp;&lt;/b&gt;');
  expect(html).toContain('message 950 ');
  expect(html).not.toContain('message 949 ');
  expect(html.match(/class="rtm-chat-row"/g)).toHaveLength(50);
});
