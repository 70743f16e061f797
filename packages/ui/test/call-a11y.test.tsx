import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { useInvitation } from '@rtm-kit/react';
import { CallButton, CallDialog } from '@rtm-kit/ui';
import { AsUser, axeViolations, sleep } from './helpers.js';

let server: RtmServer;
beforeEach(async () => {
  // A call to someone offline fails after 1.5 s: long enough to check the `calling` state first.
  server = await startServer({ port: 0, logger: false, timing: { invitationDeliveryMs: 1_500 } });
});
afterEach(async () => {
  cleanup();
  await sleep(100);
  await server.close();
});

const LONG = { timeout: 5_000 };

/**
 * While a modal dialog is open, Radix hides everything else with aria-hidden and adds two
 * focus-guard spans (tabindex 0, aria-hidden) around the page; its focus trap keeps focus out of
 * them, which axe cannot know, so it reports `aria-hidden-focus` for the guards and for the
 * hidden page. Those are the modal's mechanics, not the dialog's markup: the dialog itself must
 * have no violation at all, and the page none but those.
 */
async function violationsWithDialogOpen(dialog: HTMLElement): Promise<string[]> {
  const page = await axeViolations();
  const modalMechanics = (line: string) => {
    const match = /^aria-hidden-focus: (.+) \(/.exec(line);
    const node = match?.[1] === undefined ? null : document.querySelector(match[1]);
    return node !== null && (node.hasAttribute('data-radix-focus-guard') || node.getAttribute('data-aria-hidden') === 'true');
  };
  return [...(await axeViolations(dialog)), ...page.filter((line) => !modalMechanics(line))];
}

/** Bob's app, without a dialog: answers alice's calls with plain buttons. */
function Bob() {
  const { incoming, accept, refuse } = useInvitation();
  const ringing = incoming.find((i) => i.state === 'INVITATION_RECEIVED');
  return (
    <aside aria-label="bob">
      <CallButton peerId="alice" />
      <button type="button" disabled={ringing === undefined} onClick={() => ringing !== undefined && void accept(ringing.id)}>
        Bob accepts
      </button>
      <button type="button" disabled={ringing === undefined} onClick={() => ringing !== undefined && void refuse(ringing.id, 'later')}>
        Bob declines
      </button>
    </aside>
  );
}

for (const theme of ['light', 'dark'] as const) {
  it(`has no axe violations in any state, with the ${theme} theme on the portalled dialog`, async () => {
    const user = userEvent.setup();
    render(
      <>
        <AsUser serverUrl={server.url} uid="alice">
          <main>
            <h1>Alice</h1>
            <CallButton peerId="bob" content="Design review" />
            <CallButton peerId="carol" />
            {/* No media session here: an accepted call is over at once, so alice is not busy after it. */}
            <CallDialog theme={theme} autoCloseMs={false} onAccepted={(call) => call.end()} />
          </main>
        </AsUser>
        <AsUser serverUrl={server.url} uid="bob">
          <Bob />
        </AsUser>
      </>,
    );
    const callBob = screen.getByRole('button', { name: 'Call bob' });
    await waitFor(() => expect(callBob).toHaveProperty('disabled', false), LONG);
    await waitFor(() => expect(screen.getByRole('button', { name: 'Call alice' })).toHaveProperty('disabled', false), LONG);
    expect(await axeViolations()).toEqual([]);

    const check = async (dialog: HTMLElement, state: string) => {
      await waitFor(() => expect(dialog.getAttribute('data-state')).toBe(state), LONG);
      expect(dialog.getAttribute('data-theme')).toBe(theme);
      // Only a received call is modal, with an overlay over the page; a placed call is a card.
      const overlay = document.querySelector('.rtm-call-overlay');
      if (dialog.getAttribute('data-direction') === 'incoming') expect(overlay?.getAttribute('data-theme')).toBe(theme);
      else expect(overlay).toBeNull();
      expect(await violationsWithDialogOpen(dialog)).toEqual([]);
    };
    const close = async (dialog: HTMLElement) => {
      await user.click(within(dialog).getByRole('button', { name: 'Close' }));
      expect(screen.queryByRole('dialog')).toBeNull();
    };

    // Carol is offline: calling, then cancelled; and again, until it fails.
    await user.click(screen.getByRole('button', { name: 'Call carol' }));
    let dialog = screen.getByRole('dialog', { name: 'Calling carol' });
    await check(dialog, 'calling');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await check(dialog, 'cancelled');
    await close(dialog);
    await user.click(screen.getByRole('button', { name: 'Call carol' }));
    dialog = screen.getByRole('dialog', { name: 'Calling carol' });
    await check(dialog, 'failed');
    await close(dialog);

    // Bob is online: ringing, then declined; ringing again, then accepted.
    await user.click(callBob);
    dialog = screen.getByRole('dialog', { name: 'Calling bob' });
    await check(dialog, 'ringing');
    fireEvent.click(screen.getByRole('button', { name: 'Bob declines', hidden: true }));
    await check(dialog, 'declined');
    await close(dialog);
    await user.click(callBob);
    dialog = screen.getByRole('dialog', { name: 'Calling bob' });
    await check(dialog, 'ringing');
    fireEvent.click(screen.getByRole('button', { name: 'Bob accepts', hidden: true }));
    await check(dialog, 'accepted');
    await close(dialog);

    // Bob calls alice.
    fireEvent.click(screen.getByRole('button', { name: 'Call alice' }));
    dialog = await waitFor(() => screen.getByRole('alertdialog', { name: 'Incoming call from bob' }), LONG);
    await check(dialog, 'incoming');
    await user.click(within(dialog).getByRole('button', { name: 'Decline' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(await axeViolations()).toEqual([]);
  });
}
