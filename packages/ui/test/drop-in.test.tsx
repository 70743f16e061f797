import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { CallButton, CallDialog, ChatPanel } from '@rtm-kit/ui';
import { AsUser, axeViolations, sleep } from './helpers.js';

/*
 * The drop-in as an app uses it and as an outside check drives it: two users' providers in one
 * document, found by role and accessible name only, clicked with user-event's default checks
 * (no hidden elements, no pointer-events bypass).
 */
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

function App({ uid, peer, chat = false }: { uid: string; peer: string; chat?: boolean }) {
  return (
    <AsUser serverUrl={server.url} uid={uid}>
      <section aria-label={`${uid}'s app`}>
        {chat && <ChatPanel channelId="lobby" />}
        {chat && <ChatPanel peerId={peer} callButton={false} />}
        <CallButton peerId={peer} />
        <CallDialog />
      </section>
    </AsUser>
  );
}

it('a message typed in one ChatPanel appears in the other user\'s log, in a channel and one to one', async () => {
  const user = userEvent.setup();
  render(
    <>
      <App uid="alice" peer="bob" chat />
      <App uid="bob" peer="alice" chat />
    </>,
  );
  const aliceApp = screen.getByRole('region', { name: "alice's app" });
  const bobApp = screen.getByRole('region', { name: "bob's app" });
  const aliceBox = within(aliceApp).getByRole('textbox', { name: 'Message lobby' });
  await waitFor(() => expect(aliceBox).toHaveProperty('disabled', false), LONG);
  await waitFor(() => expect(within(bobApp).getByRole('textbox', { name: 'Message lobby' })).toHaveProperty('disabled', false), LONG);

  await user.type(aliceBox, 'hello lobby{Enter}');
  const bobLog = within(bobApp).getByRole('log', { name: 'Messages in lobby' });
  expect(await within(bobLog).findByText('hello lobby', {}, LONG)).toBeTruthy();
  expect(aliceBox).toHaveProperty('value', '');

  await user.type(within(bobApp).getByRole('textbox', { name: 'Message alice' }), 'just for you{Enter}');
  const aliceLog = within(aliceApp).getByRole('log', { name: 'Messages with bob' });
  expect(await within(aliceLog).findByText('just for you', {}, LONG)).toBeTruthy();
  expect(await axeViolations()).toEqual([]);
});

it('a CallButton rings the other user, who accepts; the caller sees it accepted', async () => {
  const user = userEvent.setup();
  render(
    <>
      <App uid="alice" peer="bob" />
      <App uid="bob" peer="alice" />
    </>,
  );
  const callBob = await screen.findByRole('button', { name: 'Call bob' });
  await waitFor(() => expect(callBob).toHaveProperty('disabled', false), LONG);
  await waitFor(() => expect(screen.getByRole('button', { name: 'Call alice' })).toHaveProperty('disabled', false), LONG);

  await user.click(callBob);
  const incoming = await screen.findByRole('alertdialog', { name: 'Incoming call from alice' }, LONG);
  expect(await axeViolations(incoming)).toEqual([]);
  await user.click(within(incoming).getByRole('button', { name: 'Accept' }));

  // The callee's dialog has done its job; the caller's card says the call was accepted.
  await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull(), LONG);
  const outgoing = screen.getByRole('dialog', { name: 'Calling bob' });
  await waitFor(() => expect(within(outgoing).getByRole('status').textContent).toMatch(/accepted/i), LONG);
  expect(await axeViolations()).toEqual([]);
});

it('the callee declines with Escape; the caller sees it declined and closes the card', async () => {
  const user = userEvent.setup();
  render(
    <>
      <App uid="alice" peer="bob" />
      <App uid="bob" peer="alice" />
    </>,
  );
  const callBob = await screen.findByRole('button', { name: 'Call bob' });
  await waitFor(() => expect(callBob).toHaveProperty('disabled', false), LONG);
  await waitFor(() => expect(screen.getByRole('button', { name: 'Call alice' })).toHaveProperty('disabled', false), LONG);
  await user.click(callBob);
  // While the received call's modal is open, the rest of this shared document is hidden from
  // assistive technology, the caller's card included: it is looked at once the callee answered.
  const incoming = await screen.findByRole('alertdialog', { name: 'Incoming call from alice' }, LONG);
  // Focus moves into the dialog as it opens (on the next frame under load).
  await waitFor(() => expect(incoming.contains(document.activeElement)).toBe(true));
  await user.keyboard('{Escape}');
  await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull(), LONG);
  const outgoing = screen.getByRole('dialog', { name: 'Calling bob' });
  await waitFor(() => expect(outgoing.getAttribute('data-state')).toBe('declined'), LONG);
  await user.click(within(outgoing).getByRole('button', { name: 'Close' }));
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
});
