import { useState } from 'react';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { PointerEventsCheckLevel, userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import AgoraRTM from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { RtmProvider, useConnectionState } from '@rtm-kit/react';
import { CallButton, CallDialog, type EndedCall } from '@rtm-kit/ui';
import { APP_ID, AsUser, sleep } from './helpers.js';

let server: RtmServer;
const playing = new Set<HTMLMediaElement>();
beforeEach(async () => {
  server = await startServer({ port: 0, logger: false });
  playing.clear();
  // happy-dom cannot play audio: record which elements are playing.
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockImplementation(function (this: HTMLMediaElement) {
    playing.add(this);
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
  await server.close();
});

const LONG = { timeout: 5_000 };
const RING = 'http://localhost/ring.ogg';

function Connection({ label }: { label: string }) {
  const { state, reason } = useConnectionState();
  return (
    <p data-testid={label}>
      {state}/{reason}
    </p>
  );
}

it("bob signing in on a second device ends the call ringing on the first: its dialog closes and stops ringing", async () => {
  const ended: EndedCall[] = [];
  let openSecondDevice: () => void = () => undefined;
  function SecondDevice() {
    const [on, setOn] = useState(false);
    openSecondDevice = () => setOn(true);
    return on ? (
      <AsUser serverUrl={server.url} uid="bob">
        <Connection label="bob-2" />
      </AsUser>
    ) : null;
  }
  render(
    <>
      <AsUser serverUrl={server.url} uid="alice">
        <CallDialog autoCloseMs={false} />
        <CallButton peerId="bob" />
      </AsUser>
      <AsUser serverUrl={server.url} uid="bob">
        <Connection label="bob-1" />
        <CallDialog ringtone={RING} onEnded={(c) => ended.push(c)} />
      </AsUser>
      <SecondDevice />
    </>,
  );
  await waitFor(() => expect(screen.getByTestId('bob-1').textContent).toBe('CONNECTED/LOGIN_SUCCESS'), LONG);
  await waitFor(() => expect(screen.getByRole('button', { name: 'Call bob' })).toHaveProperty('disabled', false), LONG);
  fireEvent.click(screen.getByRole('button', { name: 'Call bob' }));
  await waitFor(() => screen.getByRole('alertdialog', { name: 'Incoming call from alice' }), LONG);
  expect(playing.size).toBe(1);

  openSecondDevice();
  await waitFor(() => expect(screen.getByTestId('bob-2').textContent).toBe('CONNECTED/LOGIN_SUCCESS'), LONG);
  await waitFor(() => expect(screen.queryByRole('alertdialog', { hidden: true })).toBeNull(), LONG);
  expect(playing.size).toBe(0);
  expect(screen.getByTestId('bob-1').textContent).toBe('ABORTED/REMOTE_LOGIN');
  expect(ended.map((c) => [c.peerId, c.reason])).toEqual([['alice', 'failed']]);
  expect(screen.getAllByRole('status', { hidden: true }).map((s) => s.textContent)).toContain('Call from alice ended');
  // 1.x semantics: the session that had the call is gone, so the caller sees the callee offline.
  const outgoing = screen.getByRole('dialog', { hidden: true });
  await waitFor(() => expect(outgoing.getAttribute('data-state')).toBe('failed'), LONG);
  expect(within(outgoing).getByRole('status', { hidden: true }).textContent).toBe('bob is offline');
});

it('two providers sharing one session: answering in one closes the dialog in the other', async () => {
  const client = AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, logFilter: AgoraRTM.LOG_FILTER_OFF });
  render(
    <>
      <AsUser serverUrl={server.url} uid="alice">
        <CallButton peerId="bob" />
      </AsUser>
      <RtmProvider client={client} uid="bob">
        <section aria-label="first window">
          <CallDialog ringtone={RING} />
        </section>
      </RtmProvider>
      <RtmProvider client={client} uid="bob">
        <section aria-label="second window">
          <CallDialog ringtone={RING} />
        </section>
      </RtmProvider>
    </>,
  );
  await waitFor(() => expect(screen.getByRole('button', { name: 'Call bob' })).toHaveProperty('disabled', false), LONG);
  await waitFor(() => expect(client.connectionState).toBe('CONNECTED'), LONG);
  fireEvent.click(screen.getByRole('button', { name: 'Call bob' }));
  await waitFor(() => expect(screen.getAllByRole('alertdialog', { hidden: true })).toHaveLength(2), LONG);
  expect(playing.size).toBe(2);

  const [, second] = screen.getAllByRole('alertdialog', { hidden: true }) as [HTMLElement, HTMLElement];
  await userEvent.setup({ pointerEventsCheck: PointerEventsCheckLevel.Never }).click(within(second).getByRole('button', { name: 'Accept', hidden: true }));
  await waitFor(() => expect(screen.queryAllByRole('alertdialog', { hidden: true })).toEqual([]), LONG);
  expect(playing.size).toBe(0);
});
