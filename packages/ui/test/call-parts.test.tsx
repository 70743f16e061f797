import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, expect, it } from 'vitest';
import { CallDialogPrimitive as Call, type CallActions, type CallState, type CallView } from '@rtm-kit/ui';
import { axeViolations } from './helpers.js';

afterEach(cleanup);

/** The headless parts take plain data: a call and what its buttons do. */
function Dialog({ call, actions }: { call: CallView; actions: CallActions }) {
  return (
    <Call.Root call={call} actions={actions}>
      <Call.Portal>
        <Call.Overlay />
        <Call.Content>
          <Call.Title />
          <Call.Description />
          <Call.Status />
          <Call.Decline />
          <Call.Accept />
          <Call.Cancel />
          <Call.Close />
        </Call.Content>
      </Call.Portal>
    </Call.Root>
  );
}

function recorder() {
  const log: string[] = [];
  const actions: CallActions = {
    accept: async (id) => void log.push(`accept ${id}`),
    decline: async (id) => void log.push(`decline ${id}`),
    cancel: async (id) => void log.push(`cancel ${id}`),
    close: (id) => void log.push(`close ${id}`),
  };
  return { log, actions };
}

const base = { id: 'call1', channelId: 'room', content: '', response: '', failureReason: null } as const;
const incoming = (state: CallState, content = ''): CallView => ({ ...base, direction: 'incoming', peerId: 'alice', state, content });
const outgoing = (state: CallState, extra: Partial<CallView> = {}): CallView => ({ ...base, direction: 'outgoing', peerId: 'bob', state, ...extra });
const buttons = (dialog: HTMLElement) => within(dialog).queryAllByRole('button').map((b) => `${b.textContent}${b.getAttribute('aria-disabled') === 'true' ? ' (disabled)' : ''}`);
const names = {
  incoming: ['Decline', 'Accept'],
  connecting: ['Decline (disabled)', 'Accept (disabled)'],
  calling: ['Cancel'],
  ringing: ['Cancel'],
  final: ['Close'],
};

it('renders the actions of each state, with the status in words, and no axe violation in the dialog', async () => {
  const cases: [CallView, string, string[], string][] = [
    [incoming('incoming', 'about the release'), 'Incoming call from alice', names.incoming, ''],
    [incoming('connecting'), 'Incoming call from alice', names.connecting, 'Connecting…'],
    [incoming('cancelled'), 'Incoming call from alice', names.final, 'alice cancelled the call'],
    [incoming('declined'), 'Incoming call from alice', names.final, 'You declined the call'],
    [incoming('accepted'), 'Incoming call from alice', names.final, 'You accepted the call'],
    [incoming('failed'), 'Incoming call from alice', names.final, 'The call failed'],
    [outgoing('calling'), 'Calling bob', names.calling, 'Calling…'],
    [outgoing('ringing'), 'Calling bob', names.ringing, 'Ringing…'],
    [outgoing('accepted'), 'Calling bob', names.final, 'bob accepted the call'],
    [outgoing('declined', { response: 'busy' }), 'Calling bob', names.final, 'bob declined the call: “busy”'],
    [outgoing('declined'), 'Calling bob', names.final, 'bob declined the call'],
    [outgoing('cancelled'), 'Calling bob', names.final, 'Call cancelled'],
    [outgoing('failed', { failureReason: 'PEER_OFFLINE' }), 'Calling bob', names.final, 'bob is offline'],
    [outgoing('failed', { failureReason: 'PEER_NO_RESPONSE' }), 'Calling bob', names.final, 'bob did not respond'],
    [outgoing('failed', { failureReason: 'INVITATION_EXPIRE' }), 'Calling bob', names.final, 'No answer from bob: the call expired'],
    [outgoing('failed', { failureReason: 'NOT_LOGGEDIN' }), 'Calling bob', names.final, 'You are not logged in'],
    [outgoing('failed', { failureReason: 'UNKNOWN' }), 'Calling bob', names.final, 'The call failed'],
  ];
  for (const [call, name, expected, status] of cases) {
    const { actions } = recorder();
    const { unmount } = render(<Dialog call={call} actions={actions} />);
    const dialog = screen.getByRole(call.direction === 'incoming' ? 'alertdialog' : 'dialog', { name });
    expect(dialog.getAttribute('data-state')).toBe(call.state);
    expect(dialog.getAttribute('data-direction')).toBe(call.direction);
    expect(buttons(dialog)).toEqual(expected);
    expect(within(dialog).getByRole('status').textContent).toBe(status);
    expect(await axeViolations(dialog)).toEqual([]);
    unmount();
  }
});

it('describes a received call by its content, a placed one by its status', () => {
  const { actions } = recorder();
  const { unmount } = render(<Dialog call={incoming('incoming', 'about the release')} actions={actions} />);
  let dialog = screen.getByRole('alertdialog');
  expect(dialog.getAttribute('aria-describedby')?.split(' ').map((id) => document.getElementById(id)?.textContent)).toEqual(['about the release']);
  unmount();
  render(<Dialog call={outgoing('ringing')} actions={actions} />);
  dialog = screen.getByRole('dialog');
  expect(dialog.getAttribute('aria-describedby')?.split(' ').map((id) => document.getElementById(id)?.textContent)).toEqual(['Ringing…']);
});

it('sends the actions by click and by Escape, and ignores a disabled Accept', async () => {
  const user = userEvent.setup();
  const { log, actions } = recorder();
  const { rerender } = render(<Dialog call={incoming('incoming')} actions={actions} />);
  expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Accept' }));
  await user.keyboard('{Escape}');
  await user.click(screen.getByRole('button', { name: 'Accept' }));
  rerender(<Dialog call={incoming('connecting')} actions={actions} />);
  // Accept stays focused (aria-disabled, not removed) while the accept is confirmed.
  expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Accept' }));
  await user.click(screen.getByRole('button', { name: 'Accept' }));
  await user.keyboard('{Escape}');
  rerender(<Dialog call={outgoing('ringing')} actions={actions} />);
  await user.keyboard('{Escape}');
  rerender(<Dialog call={outgoing('declined')} actions={actions} />);
  expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Close' }));
  await user.keyboard('{Escape}');
  await user.click(screen.getByRole('button', { name: 'Close' }));
  expect(log).toEqual(['decline call1', 'accept call1', 'cancel call1', 'close call1', 'close call1']);
});

it('leaves focus in a received call while the card of a call being made changes state', async () => {
  const { actions } = recorder();
  const received = (
    <Dialog key="carol" call={{ ...incoming('incoming'), id: 'call2', peerId: 'carol' }} actions={actions} />
  );
  const { rerender } = render(<>{received}</>);
  const dialog = await screen.findByRole('alertdialog', { name: 'Incoming call from carol' });
  // The user starts a call of their own while carol's rings (its card opens, focused), then goes
  // back to carol's call.
  rerender(
    <>
      {received}
      <Dialog key="bob" call={outgoing('calling')} actions={actions} />
    </>,
  );
  await screen.findByRole('dialog', { name: 'Calling bob' });
  within(dialog).getByRole('button', { name: 'Accept' }).focus();
  expect(dialog.contains(document.activeElement)).toBe(true);
  // bob's phone rings, then bob declines: the card changes state twice, focus stays with carol.
  for (const state of ['ringing', 'declined'] as const) {
    rerender(
      <>
        {received}
        <Dialog key="bob" call={outgoing(state)} actions={actions} />
      </>,
    );
    expect(dialog.contains(document.activeElement)).toBe(true);
  }
});
