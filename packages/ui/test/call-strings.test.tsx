import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { useInvitation } from '@rtm-kit/react';
import { CallButton, CallDialog, RtmStringsProvider, type RtmStrings } from '@rtm-kit/ui';
import { AsUser, sleep } from './helpers.js';

let server: RtmServer;
beforeEach(async () => {
  server = await startServer({ port: 0, logger: false, timing: { invitationDeliveryMs: 400 } });
});
afterEach(async () => {
  cleanup();
  await sleep(100);
  await server.close();
});

const LONG = { timeout: 5_000 };

const german: Partial<RtmStrings> = {
  incomingCallFrom: (peerId) => `Eingehender Anruf von ${peerId}`,
  outgoingCallTo: (peerId) => `${peerId} wird angerufen`,
  accept: 'Annehmen',
  decline: 'Ablehnen',
  cancelCall: 'Abbrechen',
  closeCall: 'Schließen',
  callStatusCalling: () => 'Wählt…',
  callDeclined: (peerId, response) => `${peerId} hat abgelehnt (${response})`,
  callPeerOffline: (peerId) => `${peerId} ist offline`,
  callPeer: (peerId) => `${peerId} anrufen`,
  callMissed: (peerId) => `Verpasster Anruf von ${peerId}`,
};

function Bob() {
  const { incoming, outgoing, refuse, cancel } = useInvitation();
  const ringing = incoming.find((i) => i.state === 'INVITATION_RECEIVED');
  const live = outgoing.find((i) => i.state === 'SENT_TO_REMOTE' || i.state === 'RECEIVED_BY_REMOTE');
  return (
    <aside>
      <CallButton peerId="alice" />
      <button type="button" onClick={() => ringing !== undefined && void refuse(ringing.id, 'später')}>
        Bob declines
      </button>
      <button type="button" onClick={() => live !== undefined && void cancel(live.id)}>
        Bob hangs up
      </button>
    </aside>
  );
}

it('takes every text from RtmStringsProvider, and a component strings prop wins over it', async () => {
  const user = userEvent.setup();
  render(
    <>
      <AsUser serverUrl={server.url} uid="alice">
        <RtmStringsProvider strings={german}>
          <main>
            <CallButton peerId="bob" />
            <CallButton peerId="carol" />
            <CallDialog autoCloseMs={false} strings={{ accept: 'Rangehen' }} />
          </main>
        </RtmStringsProvider>
      </AsUser>
      <AsUser serverUrl={server.url} uid="bob">
        <Bob />
      </AsUser>
    </>,
  );
  const callBob = screen.getByRole('button', { name: 'bob anrufen' });
  await waitFor(() => expect(callBob).toHaveProperty('disabled', false), LONG);
  await waitFor(() => expect(screen.getByRole('button', { name: 'Call alice' })).toHaveProperty('disabled', false), LONG);

  // Placed calls: the name, the status, the response, the failure reason, the buttons.
  await user.click(screen.getByRole('button', { name: 'carol anrufen' }));
  let dialog = screen.getByRole('dialog', { name: 'carol wird angerufen' });
  expect(within(dialog).getByRole('status').textContent).toBe('Wählt…');
  within(dialog).getByRole('button', { name: 'Abbrechen' });
  await waitFor(() => expect(within(dialog).getByRole('status').textContent).toBe('carol ist offline'), LONG);
  await user.click(within(dialog).getByRole('button', { name: 'Schließen' }));

  await user.click(callBob);
  dialog = screen.getByRole('dialog', { name: 'bob wird angerufen' });
  await waitFor(() => expect(dialog.getAttribute('data-state')).toBe('ringing'), LONG);
  fireEvent.click(screen.getByRole('button', { name: 'Bob declines', hidden: true }));
  await waitFor(() => expect(within(dialog).getByRole('status').textContent).toBe('bob hat abgelehnt (später)'), LONG);
  await user.click(within(dialog).getByRole('button', { name: 'Schließen' }));

  // A received call: the prop's "Rangehen" wins over the provider's "Annehmen".
  fireEvent.click(screen.getByRole('button', { name: 'Call alice' }));
  dialog = await waitFor(() => screen.getByRole('alertdialog', { name: 'Eingehender Anruf von bob' }), LONG);
  within(dialog).getByRole('button', { name: 'Rangehen' });
  within(dialog).getByRole('button', { name: 'Ablehnen' });
  expect(within(dialog).queryByRole('button', { name: 'Annehmen' })).toBeNull();
  fireEvent.click(screen.getByRole('button', { name: 'Bob hangs up', hidden: true }));
  await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull(), LONG);
  await waitFor(() => expect(screen.getAllByRole('status').map((s) => s.textContent)).toContain('Verpasster Anruf von bob'));
});
