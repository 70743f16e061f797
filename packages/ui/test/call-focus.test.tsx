import { useState, type ReactNode } from 'react';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { PointerEventsCheckLevel, userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { useInvitation } from '@rtm-kit/react';
import { CallButton, CallDialog, type CallView } from '@rtm-kit/ui';
import { AsUser, sleep } from './helpers.js';

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

/** The caller's side without a dialog: a call button and the outcome of its calls. */
function Caller({ peerId }: { peerId: string }) {
  const { outgoing, cancel } = useInvitation();
  const live = outgoing.find((i) => i.state === 'SENT_TO_REMOTE' || i.state === 'RECEIVED_BY_REMOTE');
  return (
    <section aria-label="caller">
      <CallButton peerId={peerId} content="hello" />
      <button type="button" disabled={live === undefined} onClick={() => live !== undefined && void cancel(live.id)}>
        Hang up
      </button>
      <p data-testid="outcome">{outgoing.map((i) => `${i.state} ${i.response}`.trim()).join(', ')}</p>
    </section>
  );
}

/** Alice's app: a text field she is typing in when the call comes (and a way to call back). */
function Callee({ children }: { children?: ReactNode }) {
  return (
    <main>
      <label>
        Notes <input />
      </label>
      <CallButton peerId="bob" />
      {children}
    </main>
  );
}

async function ready(uid: string) {
  await waitFor(() => expect(screen.getByRole('button', { name: `Call ${uid}` })).toHaveProperty('disabled', false), LONG);
}

it('focus goes to Accept, Tab stays inside, a click outside does nothing, Escape declines, and focus returns', async () => {
  const user = userEvent.setup();
  render(
    <>
      <AsUser serverUrl={server.url} uid="bob">
        <Caller peerId="alice" />
      </AsUser>
      <AsUser serverUrl={server.url} uid="alice">
        <Callee>
          <CallDialog declineResponse="not now" />
        </Callee>
      </AsUser>
    </>,
  );
  await ready('alice');
  await ready('bob');
  const notes = screen.getByRole('textbox', { name: 'Notes' });
  await user.click(notes);
  await user.keyboard('hello');
  // Bob's click is in his own browser: it must not move alice's focus.
  fireEvent.click(screen.getByRole('button', { name: 'Call alice' }));

  const incoming = await waitFor(() => screen.getByRole('alertdialog', { name: 'Incoming call from bob' }), LONG);
  const accept = within(incoming).getByRole('button', { name: 'Accept' });
  const decline = within(incoming).getByRole('button', { name: 'Decline' });
  await waitFor(() => expect(document.activeElement).toBe(accept));
  await user.tab();
  expect(document.activeElement).toBe(decline);
  await user.tab();
  expect(document.activeElement).toBe(accept);
  await user.tab({ shift: true });
  expect(document.activeElement).toBe(decline);

  // Outside the dialog nothing reacts (pointer events are off outside a modal dialog).
  await expect(user.click(notes)).rejects.toThrow(/pointer-events/);
  expect(screen.getByRole('alertdialog', { name: 'Incoming call from bob' })).toBe(incoming);

  await user.keyboard('{Escape}');
  expect(screen.queryByRole('alertdialog')).toBeNull();
  await waitFor(() => expect(document.activeElement).toBe(notes));
  await waitFor(() => expect(screen.getByTestId('outcome').textContent).toBe('REFUSED_BY_REMOTE not now'), LONG);
});

it('after Accept the dialog closes and focus returns to where it was', async () => {
  const user = userEvent.setup();
  render(
    <>
      <AsUser serverUrl={server.url} uid="bob">
        <Caller peerId="alice" />
      </AsUser>
      <AsUser serverUrl={server.url} uid="alice">
        <Callee>
          <CallDialog acceptResponse="on my way" />
        </Callee>
      </AsUser>
    </>,
  );
  await ready('alice');
  await ready('bob');
  const notes = screen.getByRole('textbox', { name: 'Notes' });
  await user.click(notes);
  fireEvent.click(screen.getByRole('button', { name: 'Call alice' }));

  const incoming = await waitFor(() => screen.getByRole('alertdialog', { name: 'Incoming call from bob' }), LONG);
  await user.click(within(incoming).getByRole('button', { name: 'Accept' }));
  await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull(), LONG);
  await waitFor(() => expect(document.activeElement).toBe(notes));
  await waitFor(() => expect(screen.getByTestId('outcome').textContent).toBe('ACCEPTED_BY_REMOTE on my way'), LONG);
});

it('controlled: the app opens the dialogs it is asked to, and may keep one open after its call ended', async () => {
  const user = userEvent.setup();
  const changes: string[] = [];
  function ControlledAlice() {
    const [open, setOpen] = useState<readonly string[]>([]);
    const [keep, setKeep] = useState(true);
    const onOpenChange = (id: string, next: boolean, call: CallView) => {
      changes.push(`${call.peerId} ${call.state} ${next ? 'open' : 'close'}`);
      // This app keeps an ended call on screen until its Close is pressed.
      if (!next && keep && call.state !== 'incoming') {
        setKeep(false);
        return;
      }
      setOpen((ids) => (next ? [...ids, id] : ids.filter((i) => i !== id)));
    };
    return (
      <Callee>
        <CallDialog open={open} onOpenChange={onOpenChange} />
      </Callee>
    );
  }
  render(
    <>
      <AsUser serverUrl={server.url} uid="bob">
        <Caller peerId="alice" />
      </AsUser>
      <AsUser serverUrl={server.url} uid="alice">
        <ControlledAlice />
      </AsUser>
    </>,
  );
  await ready('alice');
  await ready('bob');
  await user.click(screen.getByRole('button', { name: 'Call alice' }));
  const incoming = await waitFor(() => screen.getByRole('alertdialog', { name: 'Incoming call from bob' }), LONG);
  expect(changes).toEqual(['bob incoming open']);

  // Bob hangs up (his app shares this document, under alice's modal dialog): the dialog asks to
  // close, the app keeps it, and it shows why.
  await userEvent.setup({ pointerEventsCheck: PointerEventsCheckLevel.Never }).click(screen.getByRole('button', { name: 'Hang up', hidden: true }));
  await waitFor(() => expect(incoming.getAttribute('data-state')).toBe('cancelled'), LONG);
  expect(changes).toEqual(['bob incoming open', 'bob cancelled close']);
  expect(within(incoming).getByRole('status').textContent).toBe('bob cancelled the call');
  const close = within(incoming).getByRole('button', { name: 'Close' });
  await waitFor(() => expect(document.activeElement).toBe(close));

  await user.click(close);
  expect(changes).toEqual(['bob incoming open', 'bob cancelled close', 'bob cancelled close']);
  expect(screen.queryByRole('alertdialog')).toBeNull();
});
