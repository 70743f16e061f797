import { StrictMode } from 'react';
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { PointerEventsCheckLevel, userEvent } from '@testing-library/user-event';
import { afterEach, expect, it } from 'vitest';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { CallButton, CallDialog, type AcceptedCall, type EndedCall } from '@rtm-kit/ui';
import { AsUser, sleep } from './helpers.js';

let server: RtmServer | undefined;
afterEach(async () => {
  cleanup();
  await sleep(100);
  await server?.close();
  server = undefined;
});

const LONG = { timeout: 5_000 };

/*
 * Both users live in one document here, so a modal dialog of one makes the other's dialogs
 * aria-hidden and inert to pointers (Radix marks everything outside the top dialog; an
 * aria-hidden dialog has no accessible name). Queries for a dialog that may be under the other
 * user's pass `hidden: true` and match the title it is labelled by; clicks skip user-event's
 * pointer-events check. In real use each user has a document of their own; the accessible names
 * are checked with `named` where the dialog is the top one.
 */
const crossUser = () => userEvent.setup({ pointerEventsCheck: PointerEventsCheckLevel.Never });
const labelled = (role: string, title: string) => {
  const found = screen
    .getAllByRole(role, { hidden: true })
    .filter((d) => document.getElementById(d.getAttribute('aria-labelledby') ?? '')?.textContent === title);
  if (found.length !== 1) throw new Error(`${found.length} ${role}s titled "${title}"`);
  return found[0] as HTMLElement;
};
const dialog = (title: string) => labelled('dialog', title);
const alert = (title: string) => labelled('alertdialog', title);
const named = (role: string, name: string) => screen.getByRole(role, { name });

interface Log {
  accepted: AcceptedCall[];
  ended: EndedCall[];
}
const newLog = (): Log => ({ accepted: [], ended: [] });
const info = ({ end: _, ...call }: AcceptedCall) => call;
const outcome = ({ id: _, ...call }: EndedCall) => call;

function connected(uid: string) {
  return waitFor(() => expect(screen.getByRole('button', { name: `Call ${uid}`, hidden: true })).toHaveProperty('disabled', false), LONG);
}

it('alice calls bob: calling, ringing, bob accepts, both sides report the accepted call, and focus comes back', async () => {
  server = await startServer({ port: 0, logger: false });
  const alice = newLog();
  const bob = newLog();
  const user = crossUser();
  render(
    <StrictMode>
      <AsUser serverUrl={server.url} uid="alice">
        <CallDialog onAccepted={(c) => alice.accepted.push(c)} onEnded={(c) => alice.ended.push(c)} autoCloseMs={false} />
        <CallButton peerId="bob" content="standup?" channelId="room-7" />
      </AsUser>
      <AsUser serverUrl={server.url} uid="bob">
        <CallDialog onAccepted={(c) => bob.accepted.push(c)} onEnded={(c) => bob.ended.push(c)} />
        <CallButton peerId="alice" />
      </AsUser>
    </StrictMode>,
  );
  await connected('bob');
  await connected('alice');
  const callBob = screen.getByRole('button', { name: 'Call bob' });
  await user.click(callBob);
  const outgoing = dialog('Calling bob');
  expect(outgoing.getAttribute('data-direction')).toBe('outgoing');
  // Bob's dialog is the top one (it opened last): its accessible name is in force.
  const incoming = await waitFor(() => named('alertdialog', 'Incoming call from alice'), LONG);
  expect(incoming.getAttribute('data-state')).toBe('incoming');
  expect(incoming.getAttribute('aria-describedby')).not.toBeNull();
  expect(document.getElementById(incoming.getAttribute('aria-describedby') ?? '')?.textContent).toBe('standup?');
  const accept = within(incoming).getByRole('button', { name: 'Accept', hidden: true });
  expect(document.activeElement).toBe(accept);
  within(incoming).getByRole('button', { name: 'Decline', hidden: true });
  // The callee's app has it: the caller's dialog rings.
  await waitFor(() => expect(outgoing.getAttribute('data-state')).toBe('ringing'), LONG);
  expect(within(outgoing).getByRole('status', { hidden: true }).textContent).toBe('Ringing…');
  within(outgoing).getByRole('button', { name: 'Cancel', hidden: true });

  await user.click(accept);
  await waitFor(() => expect(screen.queryByRole('alertdialog', { hidden: true })).toBeNull(), LONG);
  await waitFor(() => expect(outgoing.getAttribute('data-state')).toBe('accepted'), LONG);
  expect(within(outgoing).getByRole('status', { hidden: true }).textContent).toBe('bob accepted the call');
  expect(within(outgoing).queryByRole('button', { name: 'Cancel', hidden: true })).toBeNull();
  const close = within(outgoing).getByRole('button', { name: 'Close', hidden: true });
  await waitFor(() => expect(document.activeElement).toBe(close));

  await waitFor(() => expect(alice.accepted).toHaveLength(1), LONG);
  await waitFor(() => expect(bob.accepted).toHaveLength(1), LONG);
  expect(info(alice.accepted[0] as AcceptedCall)).toMatchObject({ direction: 'outgoing', peerId: 'bob', channelId: 'room-7', content: 'standup?' });
  expect(info(bob.accepted[0] as AcceptedCall)).toMatchObject({ direction: 'incoming', peerId: 'alice', channelId: 'room-7', content: 'standup?' });
  expect(alice.ended).toEqual([]);
  expect(bob.ended).toEqual([]);

  await user.click(close);
  await waitFor(() => expect(screen.queryByRole('dialog', { hidden: true })).toBeNull());
  await waitFor(() => expect(document.activeElement).toBe(callBob));

  // The app ends its session: onEnded says so, once.
  act(() => (bob.accepted[0] as AcceptedCall).end());
  act(() => (bob.accepted[0] as AcceptedCall).end());
  expect(bob.ended.map(outcome)).toEqual([
    { direction: 'incoming', peerId: 'alice', channelId: 'room-7', content: 'standup?', response: '', reason: 'ended', failureReason: null },
  ]);
});

it('bob declines with a response; alice sees it in words, and her dialog closes by itself after autoCloseMs', async () => {
  server = await startServer({ port: 0, logger: false });
  const alice = newLog();
  const bob = newLog();
  const user = crossUser();
  render(
    <StrictMode>
      <AsUser serverUrl={server.url} uid="alice">
        <CallDialog onEnded={(c) => alice.ended.push(c)} autoCloseMs={300} />
        <CallButton peerId="bob" />
      </AsUser>
      <AsUser serverUrl={server.url} uid="bob">
        <CallDialog declineResponse="in a meeting" onEnded={(c) => bob.ended.push(c)} />
        <CallButton peerId="alice" />
      </AsUser>
    </StrictMode>,
  );
  await connected('bob');
  await connected('alice');
  await user.click(screen.getByRole('button', { name: 'Call bob' }));
  const incoming = await waitFor(() => alert('Incoming call from alice'), LONG);
  // No content: no description.
  expect(incoming.hasAttribute('aria-describedby')).toBe(false);
  await user.click(within(incoming).getByRole('button', { name: 'Decline', hidden: true }));
  expect(screen.queryByRole('alertdialog', { hidden: true })).toBeNull();

  const outgoing = dialog('Calling bob');
  await waitFor(() => expect(outgoing.getAttribute('data-state')).toBe('declined'), LONG);
  expect(within(outgoing).getByRole('status').textContent).toBe('bob declined the call: “in a meeting”');
  expect(outgoing.getAttribute('aria-describedby')).toBe(within(outgoing).getByRole('status').id);
  within(outgoing).getByRole('button', { name: 'Close' });
  expect(named('dialog', 'Calling bob')).toBe(outgoing);
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull(), LONG);

  await waitFor(() => expect(alice.ended).toHaveLength(1), LONG);
  expect(alice.ended.map(outcome)).toEqual([
    { direction: 'outgoing', peerId: 'bob', channelId: '', content: '', response: 'in a meeting', reason: 'declined', failureReason: null },
  ]);
  expect(bob.ended.map(outcome)).toEqual([
    { direction: 'incoming', peerId: 'alice', channelId: '', content: '', response: 'in a meeting', reason: 'declined', failureReason: null },
  ]);
  // Declined here: nothing to announce.
  expect(screen.getAllByRole('status').map((s) => s.textContent)).toEqual(['', '']);
});

it("alice cancels: bob's dialog closes and announces the missed call; Escape cancels a placed call", async () => {
  server = await startServer({ port: 0, logger: false });
  const alice = newLog();
  const bob = newLog();
  const user = crossUser();
  render(
    <StrictMode>
      <AsUser serverUrl={server.url} uid="alice">
        <CallDialog onEnded={(c) => alice.ended.push(c)} autoCloseMs={false} />
        <CallButton peerId="bob" content="lunch?" />
        <CallButton peerId="nobody" />
      </AsUser>
      <AsUser serverUrl={server.url} uid="bob">
        <CallDialog onEnded={(c) => bob.ended.push(c)} />
        <CallButton peerId="alice" />
      </AsUser>
    </StrictMode>,
  );
  await connected('bob');
  await connected('alice');
  await user.click(screen.getByRole('button', { name: 'Call bob' }));
  await waitFor(() => alert('Incoming call from alice'), LONG);
  const outgoing = dialog('Calling bob');
  await user.click(within(outgoing).getByRole('button', { name: 'Cancel', hidden: true }));

  await waitFor(() => expect(screen.queryByRole('alertdialog', { hidden: true })).toBeNull(), LONG);
  expect(outgoing.getAttribute('data-state')).toBe('cancelled');
  expect(within(outgoing).getByRole('status').textContent).toBe('Call cancelled');
  await waitFor(() => expect(screen.getAllByRole('status', { hidden: true }).map((s) => s.textContent)).toContain('Missed call from alice'), LONG);
  await waitFor(() => expect(bob.ended).toHaveLength(1), LONG);
  expect(bob.ended.map((c) => [c.direction, c.peerId, c.reason])).toEqual([['incoming', 'alice', 'cancelled']]);
  expect(alice.ended.map((c) => [c.direction, c.peerId, c.reason])).toEqual([['outgoing', 'bob', 'cancelled']]);

  // Escape on the ended call's dialog closes it.
  await user.keyboard('{Escape}');
  expect(screen.queryByRole('dialog')).toBeNull();

  // Escape on a call still calling cancels it.
  await user.click(screen.getByRole('button', { name: 'Call nobody' }));
  const second = named('dialog', 'Calling nobody');
  expect(second.getAttribute('data-state')).toBe('calling');
  expect(document.activeElement).toBe(within(second).getByRole('button', { name: 'Cancel' }));
  await user.keyboard('{Escape}');
  await waitFor(() => expect(second.getAttribute('data-state')).toBe('cancelled'));
  expect(document.activeElement).toBe(within(second).getByRole('button', { name: 'Close' }));
});

it('a call nobody answers expires on both sides; a call to someone offline fails "bob is offline"', async () => {
  server = await startServer({ port: 0, logger: false, timing: { invitationExpireMs: 600, invitationDeliveryMs: 600 } });
  const alice = newLog();
  const bob = newLog();
  const user = crossUser();
  render(
    <StrictMode>
      <AsUser serverUrl={server.url} uid="alice">
        <CallDialog onEnded={(c) => alice.ended.push(c)} autoCloseMs={false} />
        <CallButton peerId="bob" />
        <CallButton peerId="carol" />
      </AsUser>
      <AsUser serverUrl={server.url} uid="bob">
        <CallDialog onEnded={(c) => bob.ended.push(c)} />
        <CallButton peerId="alice" />
      </AsUser>
    </StrictMode>,
  );
  await connected('bob');
  await connected('alice');
  await user.click(screen.getByRole('button', { name: 'Call bob' }));
  await waitFor(() => alert('Incoming call from alice'), LONG);
  await waitFor(() => expect(screen.queryByRole('alertdialog', { hidden: true })).toBeNull(), LONG);
  const outgoing = dialog('Calling bob');
  await waitFor(() => expect(outgoing.getAttribute('data-state')).toBe('failed'), LONG);
  expect(within(outgoing).getByRole('status', { hidden: true }).textContent).toBe('No answer from bob: the call expired');
  await waitFor(() => expect(screen.getAllByRole('status', { hidden: true }).map((s) => s.textContent)).toContain('Missed call from alice'), LONG);
  await waitFor(() => expect(bob.ended).toHaveLength(1), LONG);
  expect(bob.ended.map((c) => [c.reason, c.failureReason])).toEqual([['failed', 'INVITATION_EXPIRE']]);
  expect(alice.ended.map((c) => [c.reason, c.failureReason])).toEqual([['failed', 'INVITATION_EXPIRE']]);

  await user.click(within(outgoing).getByRole('button', { name: 'Close', hidden: true }));
  await user.click(screen.getByRole('button', { name: 'Call carol' }));
  const offline = dialog('Calling carol');
  expect(offline.getAttribute('data-state')).toBe('calling');
  await waitFor(() => expect(offline.getAttribute('data-state')).toBe('failed'), LONG);
  expect(within(offline).getByRole('status').textContent).toBe('carol is offline');
  expect(alice.ended.map((c) => [c.peerId, c.reason, c.failureReason])).toEqual([
    ['bob', 'failed', 'INVITATION_EXPIRE'],
    ['carol', 'failed', 'PEER_OFFLINE'],
  ]);
});

it('a call during another is declined busy, during a ringing call and during an accepted one until it is ended', async () => {
  server = await startServer({ port: 0, logger: false });
  const bob = newLog();
  const carol = newLog();
  const user = crossUser();
  render(
    <StrictMode>
      <AsUser serverUrl={server.url} uid="alice">
        <CallButton peerId="bob" />
      </AsUser>
      <AsUser serverUrl={server.url} uid="carol">
        <CallDialog busyResponse="unused here" onEnded={(c) => carol.ended.push(c)} autoCloseMs={false} />
        <CallButton peerId="bob" />
      </AsUser>
      <AsUser serverUrl={server.url} uid="bob">
        <CallDialog busyResponse="on another call" onAccepted={(c) => bob.accepted.push(c)} onEnded={(c) => bob.ended.push(c)} />
        <CallButton peerId="alice" />
      </AsUser>
    </StrictMode>,
  );
  await connected('alice');
  await waitFor(() => expect(screen.getAllByRole('button', { name: 'Call bob', hidden: true }).every((b) => !(b as HTMLButtonElement).disabled)).toBe(true), LONG);
  const [aliceCallsBob, carolCallsBob] = screen.getAllByRole('button', { name: 'Call bob', hidden: true }) as [HTMLElement, HTMLElement];

  await user.click(aliceCallsBob);
  const fromAlice = await waitFor(() => alert('Incoming call from alice'), LONG);

  // Carol calls while alice's call rings at bob.
  await user.click(carolCallsBob);
  const carols = dialog('Calling bob');
  await waitFor(() => expect(carols.getAttribute('data-state')).toBe('declined'), LONG);
  expect(within(carols).getByRole('status', { hidden: true }).textContent).toBe('bob declined the call: “on another call”');
  expect(screen.getAllByRole('alertdialog', { hidden: true })).toEqual([fromAlice]);
  await waitFor(() => expect(screen.getAllByRole('status', { hidden: true }).map((s) => s.textContent)).toContain('Declined a call from carol: busy'));
  expect(bob.ended.map((c) => [c.peerId, c.reason, c.response])).toEqual([['carol', 'busy', '']]);
  expect(carol.ended.map((c) => [c.peerId, c.reason, c.response])).toEqual([['bob', 'declined', 'on another call']]);
  await user.click(within(carols).getByRole('button', { name: 'Close', hidden: true }));

  // Bob accepts alice: while that call is on, carol is still declined.
  await user.click(within(fromAlice).getByRole('button', { name: 'Accept', hidden: true }));
  await waitFor(() => expect(bob.accepted).toHaveLength(1), LONG);
  await user.click(carolCallsBob);
  const again = dialog('Calling bob');
  await waitFor(() => expect(again.getAttribute('data-state')).toBe('declined'), LONG);
  await user.click(within(again).getByRole('button', { name: 'Close' }));
  expect(bob.ended.map((c) => [c.peerId, c.reason])).toEqual([
    ['carol', 'busy'],
    ['carol', 'busy'],
  ]);

  // Once the app ended alice's call, carol gets through.
  act(() => (bob.accepted[0] as AcceptedCall).end());
  await user.click(carolCallsBob);
  await waitFor(() => alert('Incoming call from carol'), LONG);
  expect(bob.ended.map((c) => [c.peerId, c.reason])).toEqual([
    ['carol', 'busy'],
    ['carol', 'busy'],
    ['alice', 'ended'],
  ]);
});

it('allowConcurrent shows a second incoming call next to the first', async () => {
  server = await startServer({ port: 0, logger: false });
  const user = crossUser();
  render(
    <StrictMode>
      <AsUser serverUrl={server.url} uid="alice">
        <CallButton peerId="bob" />
      </AsUser>
      <AsUser serverUrl={server.url} uid="carol">
        <CallButton peerId="bob" />
      </AsUser>
      <AsUser serverUrl={server.url} uid="bob">
        <CallDialog allowConcurrent />
        <CallButton peerId="alice" />
      </AsUser>
    </StrictMode>,
  );
  await connected('alice');
  await waitFor(() => expect(screen.getAllByRole('button', { name: 'Call bob', hidden: true }).every((b) => !(b as HTMLButtonElement).disabled)).toBe(true), LONG);
  const [aliceCallsBob, carolCallsBob] = screen.getAllByRole('button', { name: 'Call bob', hidden: true }) as [HTMLElement, HTMLElement];
  await user.click(aliceCallsBob);
  await waitFor(() => alert('Incoming call from alice'), LONG);
  await user.click(carolCallsBob);
  const fromCarol = await waitFor(() => alert('Incoming call from carol'), LONG);
  // The newest is on top and has the focus.
  expect(document.activeElement).toBe(within(fromCarol).getByRole('button', { name: 'Accept' }));
  expect(screen.getAllByRole('alertdialog', { hidden: true })).toHaveLength(2);
});

it("the app can close an accepted call's dialog at once from onAccepted", async () => {
  server = await startServer({ port: 0, logger: false });
  const user = crossUser();
  render(
    <StrictMode>
      <AsUser serverUrl={server.url} uid="alice">
        <CallDialog autoCloseMs={false} onAccepted={(call) => call.close()} />
        <CallButton peerId="bob" />
      </AsUser>
      <AsUser serverUrl={server.url} uid="bob">
        <CallDialog />
        <CallButton peerId="alice" />
      </AsUser>
    </StrictMode>,
  );
  await connected('bob');
  await connected('alice');
  await user.click(screen.getByRole('button', { name: 'Call bob' }));
  const incoming = await waitFor(() => named('alertdialog', 'Incoming call from alice'), LONG);
  await user.click(within(incoming).getByRole('button', { name: 'Accept' }));
  await waitFor(() => expect(screen.queryByRole('dialog', { hidden: true })).toBeNull(), LONG);
  expect(screen.queryByRole('alertdialog', { hidden: true })).toBeNull();
});
