import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { useInvitation } from '@rtm-kit/react';
import { CallButton, RtmStringsProvider } from '@rtm-kit/ui';
import { AsUser, axeViolations, sleep } from './helpers.js';

let server: RtmServer;
beforeEach(async () => {
  server = await startServer({ port: 0, logger: false });
});
afterEach(async () => {
  cleanup();
  await sleep(100);
  await server.close();
});

const LONG = { timeout: 5_000 };

function Outgoing() {
  const { outgoing } = useInvitation();
  return (
    <ul aria-label="outgoing">
      {outgoing.map((i) => (
        <li key={i.id}>
          {i.calleeId} {i.channelId} {i.content} {i.state}
        </li>
      ))}
    </ul>
  );
}

it('is named "Call bob", disabled with a reason until connected, then places the call with its content and channel', async () => {
  const user = userEvent.setup();
  render(
    <AsUser serverUrl={server.url} uid="alice">
      <main>
        <CallButton peerId="bob" content="quick sync?" channelId="room-1" />
        <Outgoing />
      </main>
    </AsUser>,
  );
  const button = screen.getByRole('button', { name: 'Call bob' });
  expect(button).toHaveProperty('disabled', true);
  expect(button.getAttribute('data-state')).toBe('unavailable');
  expect(button.getAttribute('title')).toBe('Calls are possible once connected');
  const describedBy = button.getAttribute('aria-describedby') ?? '';
  expect(document.getElementById(describedBy)?.textContent).toBe('Calls are possible once connected');

  await waitFor(() => expect(button).toHaveProperty('disabled', false), LONG);
  expect(button.getAttribute('data-state')).toBe('idle');
  expect(button.hasAttribute('aria-describedby')).toBe(false);
  expect(button.hasAttribute('title')).toBe(false);
  expect(await axeViolations()).toEqual([]);

  await user.click(button);
  await waitFor(() => expect(screen.getByRole('list', { name: 'outgoing' }).textContent).toContain('bob room-1 quick sync?'), LONG);
  // Bob is not online: the call stays under way, and a second one to bob is not offered.
  expect(button).toHaveProperty('disabled', true);
  expect(button.getAttribute('data-state')).toBe('calling');
  expect(button.getAttribute('title')).toBe('Already calling bob');
  expect(screen.getAllByRole('listitem')).toHaveLength(1);
});

it('keeps "Call {peerId}" as its name with custom children, honours disabled, and takes strings from the provider and its prop', async () => {
  render(
    <AsUser serverUrl={server.url} uid="alice">
      <RtmStringsProvider strings={{ callPeer: (peerId) => `Anrufen: ${peerId}` }}>
        <CallButton peerId="bob">
          <span aria-hidden="true">☎</span>
        </CallButton>
        <CallButton peerId="carol" disabled />
        <CallButton peerId="dave" strings={{ callPeer: (peerId) => `Ring ${peerId}` }} />
      </RtmStringsProvider>
    </AsUser>,
  );
  const bob = screen.getByRole('button', { name: 'Anrufen: bob' });
  expect(bob.textContent).toBe('☎');
  const carol = screen.getByRole('button', { name: 'Anrufen: carol' });
  const dave = screen.getByRole('button', { name: 'Ring dave' });
  await waitFor(() => expect(bob).toHaveProperty('disabled', false), LONG);
  expect(dave).toHaveProperty('disabled', false);
  expect(carol).toHaveProperty('disabled', true);
  expect(await axeViolations()).toEqual([]);
});
