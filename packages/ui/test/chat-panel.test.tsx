import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { ChatPanel } from '@rtm-kit/ui';
import { AsUser, sleep } from './helpers.js';

let server: RtmServer;
beforeEach(async () => {
  server = await startServer({ port: 0, logger: false });
});
afterEach(async () => {
  cleanup();
  await sleep(150);
  await server.close();
});

describe('ChatPanel for a channel', () => {
  it('shows a message typed and sent with Enter in one panel in the other panel\'s log', async () => {
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
    await waitFor(() => expect((box as HTMLTextAreaElement).disabled).toBe(false), { timeout: 5_000 });
    await waitFor(() => expect((bob.getByRole('textbox', { name: 'Message lobby' }) as HTMLTextAreaElement).disabled).toBe(false), { timeout: 5_000 });

    await user.type(box, 'hello bob{Enter}');
    expect((box as HTMLTextAreaElement).value).toBe('');
    const bobLog = bob.getByRole('log', { name: 'Messages in lobby' });
    await waitFor(() => expect(within(bobLog).getByText('hello bob')).toBeTruthy(), { timeout: 3_000 });
    const aliceLog = alice.getByRole('log', { name: 'Messages in lobby' });
    await waitFor(() => expect(within(aliceLog).getByText('hello bob').closest('.rtm-chat-message')?.getAttribute('data-state')).toBe('sent'));
    expect(within(bobLog).getByText('hello bob').closest('.rtm-chat-message')?.getAttribute('data-state')).toBe('received');
    expect(screen.getByTestId('bob').querySelector('.rtm-chat')?.getAttribute('data-state')).toBe('ready');
  });
});
