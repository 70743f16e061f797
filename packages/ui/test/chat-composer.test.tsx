import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import AgoraRTM, { type RtmClient } from '@rtm-kit/client';
import { DEFAULT_LIMITS } from '@rtm-kit/protocol';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { ChatPanel, Composer, MessageList } from '@rtm-kit/ui';
import { isDisabled } from './chat-helpers.js';
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

async function bobHears(): Promise<string[]> {
  const bob = AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, logFilter: AgoraRTM.LOG_FILTER_OFF });
  clients.push(bob);
  await bob.login({ uid: 'bob' });
  const heard: string[] = [];
  bob.on('MessageFromPeer', (m) => heard.push('text' in m ? m.text : m.messageType ?? ''));
  return heard;
}

async function ready(name: string): Promise<HTMLTextAreaElement> {
  const box = screen.getByRole('textbox', { name }) as HTMLTextAreaElement;
  await waitFor(() => expect(box.disabled).toBe(false), { timeout: 5_000 });
  return box;
}

describe('Composer', () => {
  it('sends with Enter, inserts a line with Shift+Enter, and never sends blank text', async () => {
    const heard = await bobHears();
    const user = userEvent.setup();
    render(
      <AsUser serverUrl={server.url} uid="alice">
        <ChatPanel peerId="bob" />
      </AsUser>,
    );
    const box = await ready('Message bob');
    await user.type(box, 'line one{Shift>}{Enter}{/Shift}line two');
    expect(box.value).toBe('line one\nline two');
    await user.keyboard('{Enter}');
    expect(box.value).toBe('');
    await waitFor(() => expect(heard).toEqual(['line one\nline two']), { timeout: 3_000 });
    const log = screen.getByRole('log', { name: 'Messages with bob' });
    expect(log.querySelector('.rtm-chat-message-text')?.textContent).toBe('line one\nline two');

    await user.type(box, '   {Enter}');
    expect(isDisabled(screen.getByRole('button', { name: 'Send' }))).toBe(true);
    await sleep(200);
    expect(heard).toHaveLength(1);
  });

  it('shows the byte count near the 32 KB limit and refuses more, with the reason, counting UTF-8 bytes as the server does', async () => {
    const heard = await bobHears();
    const user = userEvent.setup();
    const { container } = render(
      <AsUser serverUrl={server.url} uid="alice">
        <ChatPanel peerId="bob" />
      </AsUser>,
    );
    const box = await ready('Message bob');
    const max = DEFAULT_LIMITS.messageMaxBytes;
    const counter = container.querySelector('.rtm-chat-counter') as HTMLElement;
    expect(counter.dataset['state']).toBe('ok');
    expect(counter.textContent).toBe('');

    // "é" is two bytes in UTF-8: 16,000 of them are 32,000 bytes, near the limit.
    fireEvent.change(box, { target: { value: 'é'.repeat(16_000) } });
    expect(counter.dataset['state']).toBe('near');
    expect(counter.textContent).toBe(`${(32_000).toLocaleString()} / ${max.toLocaleString()} bytes`);
    expect(isDisabled(screen.getByRole('button', { name: 'Send' }))).toBe(false);

    // 16,385 of them are 32,770 bytes: over, though only 16,385 characters.
    fireEvent.change(box, { target: { value: 'é'.repeat(16_385) } });
    const send = screen.getByRole('button', { name: 'Send' });
    expect(isDisabled(send)).toBe(true);
    const reason = screen.getByText(`Too long to send: ${(32_770).toLocaleString()} of at most ${max.toLocaleString()} bytes.`);
    expect(reason.getAttribute('role')).toBe('status');
    expect(send.getAttribute('aria-describedby')).toContain(reason.id);
    expect(box.getAttribute('aria-invalid')).toBe('true');
    box.focus();
    await user.keyboard('{Enter}');
    expect(box.value).toHaveLength(16_385);

    // Exactly at the limit is allowed, and the server takes it.
    fireEvent.change(box, { target: { value: 'a'.repeat(max) } });
    expect(isDisabled(send)).toBe(false);
    await user.click(send);
    await waitFor(() => expect(heard).toHaveLength(1), { timeout: 3_000 });
    expect(heard[0]).toHaveLength(max);
  });

  it('is disabled with the reason until logged in, and works as a standalone part next to a MessageList', async () => {
    const user = userEvent.setup();
    render(
      <AsUser serverUrl={server.url} uid="alice">
        <MessageList channelId="side" />
        <Composer channelId="side" attachments={false} />
      </AsUser>,
    );
    const box = screen.getByRole('textbox', { name: 'Message side' }) as HTMLTextAreaElement;
    expect(box.disabled).toBe(true);
    expect(box.closest('form')?.dataset['state']).toBe('disabled');
    const reasonId = box.getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(reasonId.split(' ')[0] as string)?.textContent).toMatch(/^(Connecting|Joining side)…/);
    await ready('Message side');
    expect(box.closest('form')?.dataset['state']).toBe('enabled');
    expect(screen.queryByRole('button', { name: 'Attach file' })).toBeNull();
    await user.type(box, 'standalone{Enter}');
    const log = screen.getByRole('log', { name: 'Messages in side' });
    await waitFor(() => expect(within(log).getByText('standalone')).toBeTruthy());
  });
});
