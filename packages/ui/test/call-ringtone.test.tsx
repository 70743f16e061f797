import { useState } from 'react';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { useInvitation } from '@rtm-kit/react';
import { CallButton, CallDialog } from '@rtm-kit/ui';
import { AsUser, sleep } from './helpers.js';

let server: RtmServer | undefined;

// The one edge we do not own: happy-dom cannot play audio. Track which elements are playing.
const playing = new Set<HTMLMediaElement>();
const played: string[] = [];
beforeEach(() => {
  playing.clear();
  played.length = 0;
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(function (this: HTMLMediaElement) {
    playing.add(this);
    played.push(`${this.src} loop=${this.loop}`);
    return Promise.resolve();
  });
  vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(function (this: HTMLMediaElement) {
    playing.delete(this);
  });
});
afterEach(async () => {
  cleanup();
  vi.restoreAllMocks();
  await sleep(100);
  await server?.close();
  server = undefined;
});

const LONG = { timeout: 5_000 };
const RING = 'http://localhost/sounds/ring.mp3';

/** Bob's side: calls alice and can hang up, without a dialog of his own. */
function Bob() {
  const { outgoing, cancel } = useInvitation();
  const live = outgoing.find((i) => i.state === 'SENT_TO_REMOTE' || i.state === 'RECEIVED_BY_REMOTE');
  return (
    <>
      <CallButton peerId="alice" />
      <button type="button" onClick={() => live !== undefined && void cancel(live.id)}>
        Hang up
      </button>
    </>
  );
}

function Alice({ ringtone }: { ringtone?: string | false }) {
  const [mounted, setMounted] = useState(true);
  return (
    <main>
      <CallButton peerId="bob" />
      <button type="button" onClick={() => setMounted(false)}>
        Unmount
      </button>
      {mounted && <CallDialog {...(ringtone === undefined ? {} : { ringtone })} />}
    </main>
  );
}

async function ringAlice(timing = {}) {
  server = await startServer({ port: 0, logger: false, timing });
  render(
    <>
      <AsUser serverUrl={server.url} uid="bob">
        <Bob />
      </AsUser>
      <AsUser serverUrl={server.url} uid="alice">
        <Alice ringtone={RING} />
      </AsUser>
    </>,
  );
  await waitFor(() => expect(screen.getByRole('button', { name: 'Call bob' })).toHaveProperty('disabled', false), LONG);
  await waitFor(() => expect(screen.getByRole('button', { name: 'Call alice' })).toHaveProperty('disabled', false), LONG);
  fireEvent.click(screen.getByRole('button', { name: 'Call alice' }));
  const incoming = await waitFor(() => screen.getByRole('alertdialog', { name: 'Incoming call from bob' }), LONG);
  expect(playing.size).toBe(1);
  expect(played).toEqual([`${RING} loop=true`]);
  return incoming;
}

it('rings while a call comes in and stops on Accept', async () => {
  const incoming = await ringAlice();
  await userEvent.setup().click(within(incoming).getByRole('button', { name: 'Accept' }));
  await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull(), LONG);
  expect(playing.size).toBe(0);
});

it('stops on Decline', async () => {
  const incoming = await ringAlice();
  await userEvent.setup().click(within(incoming).getByRole('button', { name: 'Decline' }));
  expect(screen.queryByRole('alertdialog')).toBeNull();
  expect(playing.size).toBe(0);
});

it('stops when the caller cancels', async () => {
  await ringAlice();
  fireEvent.click(screen.getByRole('button', { name: 'Hang up', hidden: true }));
  await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull(), LONG);
  expect(playing.size).toBe(0);
});

it('stops when the call expires', async () => {
  await ringAlice({ invitationExpireMs: 500 });
  await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull(), LONG);
  expect(playing.size).toBe(0);
});

it('stops when the dialog unmounts', async () => {
  await ringAlice();
  fireEvent.click(screen.getByRole('button', { name: 'Unmount', hidden: true }));
  expect(screen.queryByRole('alertdialog')).toBeNull();
  expect(playing.size).toBe(0);
});

it('plays nothing by default', async () => {
  server = await startServer({ port: 0, logger: false });
  render(
    <>
      <AsUser serverUrl={server.url} uid="bob">
        <Bob />
      </AsUser>
      <AsUser serverUrl={server.url} uid="alice">
        <Alice />
      </AsUser>
    </>,
  );
  await waitFor(() => expect(screen.getByRole('button', { name: 'Call bob' })).toHaveProperty('disabled', false), LONG);
  await waitFor(() => expect(screen.getByRole('button', { name: 'Call alice' })).toHaveProperty('disabled', false), LONG);
  fireEvent.click(screen.getByRole('button', { name: 'Call alice' }));
  await waitFor(() => screen.getByRole('alertdialog', { name: 'Incoming call from bob' }), LONG);
  expect(played).toEqual([]);
});
