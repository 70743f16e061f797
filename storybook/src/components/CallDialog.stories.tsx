import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { CallButton, CallDialog, type CallDialogProps } from '@rtm-kit/ui';
import { answeringPeer, callingPeer, decliningPeer, silentPeer } from '../live/peers';
import { worldOf } from '../live/Live';
import type { LiveParameters } from '../live/world';

const carol = callingPeer({ uid: 'carol', channelId: 'standup', content: 'Daily standup?' });
const gus = callingPeer({ uid: 'gus', channelId: 'other', autoCall: false });
const bob = answeringPeer({ uid: 'bob' });
const dave = decliningPeer({ uid: 'dave' });
const erin = silentPeer({ uid: 'erin' });

const WAIT = { timeout: 8_000 };

type Args = CallDialogProps & {
  /** Story only: put a `CallButton` for this peer next to the dialog. */
  readonly callee?: string;
};

/** The dialogs are portalled to <body>, outside the story's root. */
const page = (canvasElement: HTMLElement) => within(canvasElement.ownerDocument.body);

/**
 * Every call of the logged-in user, both ways, as dialogs: mount it once under `RtmProvider`. A
 * received call opens an alert dialog with Accept and Decline; a call placed with `CallButton`
 * (or `useInvitation().call`) opens a dialog that follows it to its outcome. In these stories the
 * other side is a simulated peer: `carol` calls you, `bob` accepts, `dave` declines, `erin`
 * never answers.
 *
 * ```tsx
 * import { RtmProvider } from '@rtm-kit/react';
 * import { CallButton, CallDialog } from '@rtm-kit/ui';
 * import '@rtm-kit/ui/styles.css';
 *
 * <RtmProvider appId={APP_ID} uid="you">
 *   <CallDialog onAccepted={(call) => startMedia(call.channelId, call.end)} />
 *   <CallButton peerId="bob" channelId="room-42" />
 * </RtmProvider>
 * ```
 */
const meta = {
  title: 'Components/CallDialog',
  component: CallDialog,
  render: ({ callee, ...props }) => (
    <>
      <CallDialog {...props} />
      {callee !== undefined && <CallButton peerId={callee} channelId="room-42" content="Quick sync?" />}
    </>
  ),
  args: { autoCloseMs: false },
  parameters: { live: { peers: [carol] } satisfies LiveParameters },
} satisfies Meta<Args>;

export default meta;
type Story = StoryObj<typeof meta>;

/** `carol` calls you: the dialog rings with Accept (focused) and Decline. */
export const Incoming: Story = {
  play: async ({ canvasElement }) => {
    const dialog = await page(canvasElement).findByRole('alertdialog', { name: 'Incoming call from carol' }, WAIT);
    await expect(dialog.getAttribute('data-state')).toBe('incoming');
    await within(dialog).findByText('Daily standup?');
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Accept' })).toHaveFocus());
    within(dialog).getByRole('button', { name: 'Decline' });
  },
};

/** You accept `carol`'s call: your dialog closes and her side sees the call accepted. */
export const IncomingAccepted: Story = {
  play: async (context) => {
    const dialog = await page(context.canvasElement).findByRole('alertdialog', { name: 'Incoming call from carol' }, WAIT);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Accept' }));
    await waitFor(() => expect(page(context.canvasElement).queryByRole('alertdialog')).toBeNull(), WAIT);
    await waitFor(() => expect(worldOf(context).control(carol).latest()?.state).toBe('ACCEPTED_BY_REMOTE'), WAIT);
  },
};

/** You decline: `carol` sees the refusal. */
export const IncomingDeclined: Story = {
  play: async (context) => {
    const dialog = await page(context.canvasElement).findByRole('alertdialog', { name: 'Incoming call from carol' }, WAIT);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Decline' }));
    await waitFor(() => expect(page(context.canvasElement).queryByRole('alertdialog')).toBeNull(), WAIT);
    await waitFor(() => expect(worldOf(context).control(carol).latest()?.state).toBe('REFUSED_BY_REMOTE'), WAIT);
  },
};

/** `carol` hangs up before you answer: the dialog closes by itself and a live region says "Missed call from carol". */
export const IncomingMissed: Story = {
  play: async (context) => {
    const body = page(context.canvasElement);
    await body.findByRole('alertdialog', { name: 'Incoming call from carol' }, WAIT);
    worldOf(context).control(carol).cancel();
    await waitFor(() => expect(body.queryByRole('alertdialog')).toBeNull(), WAIT);
    await body.findByText('Missed call from carol', {}, WAIT);
  },
};

/** You call `erin`, who is online but does not answer: the dialog goes calling → ringing, with Cancel. */
export const Outgoing: Story = {
  args: { callee: 'erin' },
  parameters: { live: { peers: [erin] } satisfies LiveParameters },
  play: async ({ canvas, canvasElement }) => {
    const button = await canvas.findByRole('button', { name: 'Call erin' });
    await waitFor(() => expect(button).toBeEnabled(), WAIT);
    await userEvent.click(button);
    const dialog = await page(canvasElement).findByRole('dialog', { name: 'Calling erin' }, WAIT);
    await waitFor(() => expect(dialog.getAttribute('data-state')).toBe('ringing'), WAIT);
    await within(dialog).findByText('Ringing…');
    within(dialog).getByRole('button', { name: 'Cancel' });
  },
};

/** `bob` accepts your call. */
export const OutgoingAccepted: Story = {
  args: { callee: 'bob' },
  parameters: { live: { peers: [bob] } satisfies LiveParameters },
  play: async ({ canvas, canvasElement }) => {
    const button = await canvas.findByRole('button', { name: 'Call bob' });
    await waitFor(() => expect(button).toBeEnabled(), WAIT);
    await userEvent.click(button);
    const dialog = await page(canvasElement).findByRole('dialog', { name: 'Calling bob' }, WAIT);
    await waitFor(() => expect(dialog.getAttribute('data-state')).toBe('accepted'), WAIT);
    await within(dialog).findByText('bob accepted the call');
  },
};

/** `dave` declines your call, with a response. */
export const OutgoingDeclined: Story = {
  args: { callee: 'dave' },
  parameters: { live: { peers: [dave] } satisfies LiveParameters },
  play: async ({ canvas, canvasElement }) => {
    const button = await canvas.findByRole('button', { name: 'Call dave' });
    await waitFor(() => expect(button).toBeEnabled(), WAIT);
    await userEvent.click(button);
    const dialog = await page(canvasElement).findByRole('dialog', { name: 'Calling dave' }, WAIT);
    await waitFor(() => expect(dialog.getAttribute('data-state')).toBe('declined'), WAIT);
    await within(dialog).findByText('dave declined the call: “In a meeting”');
  },
};

/** You cancel a call that rings. */
export const OutgoingCancelled: Story = {
  args: { callee: 'erin' },
  parameters: { live: { peers: [erin] } satisfies LiveParameters },
  play: async ({ canvas, canvasElement }) => {
    const button = await canvas.findByRole('button', { name: 'Call erin' });
    await waitFor(() => expect(button).toBeEnabled(), WAIT);
    await userEvent.click(button);
    const dialog = await page(canvasElement).findByRole('dialog', { name: 'Calling erin' }, WAIT);
    await waitFor(() => expect(dialog.getAttribute('data-state')).toBe('ringing'), WAIT);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(dialog.getAttribute('data-state')).toBe('cancelled'), WAIT);
    await within(dialog).findByText('Call cancelled');
  },
};

/** The callee is not online: the call fails once it could not be delivered (here after 1.5 s instead of 30 s). */
export const OutgoingPeerOffline: Story = {
  args: { callee: 'zoe' },
  parameters: { live: { server: { timing: { invitationDeliveryMs: 1_500 } } } satisfies LiveParameters },
  play: async ({ canvas, canvasElement }) => {
    const button = await canvas.findByRole('button', { name: 'Call zoe' });
    await waitFor(() => expect(button).toBeEnabled(), WAIT);
    await userEvent.click(button);
    const dialog = await page(canvasElement).findByRole('dialog', { name: 'Calling zoe' }, WAIT);
    await waitFor(() => expect(dialog.getAttribute('data-state')).toBe('failed'), WAIT);
    await within(dialog).findByText('zoe is offline');
  },
};

/** Nobody answers until the invitation expires (here after 2 s instead of 60 s). */
export const OutgoingExpired: Story = {
  args: { callee: 'erin' },
  parameters: { live: { peers: [erin], server: { timing: { invitationExpireMs: 2_000 } } } satisfies LiveParameters },
  play: async ({ canvas, canvasElement }) => {
    const button = await canvas.findByRole('button', { name: 'Call erin' });
    await waitFor(() => expect(button).toBeEnabled(), WAIT);
    await userEvent.click(button);
    const dialog = await page(canvasElement).findByRole('dialog', { name: 'Calling erin' }, WAIT);
    await waitFor(() => expect(dialog.getAttribute('data-state')).toBe('failed'), WAIT);
    await within(dialog).findByText('No answer from erin: the call expired');
  },
};

/**
 * You are in a call with `carol` when `gus` calls: his call is declined with "busy" by itself,
 * and a live region tells you.
 */
export const Busy: Story = {
  parameters: { live: { peers: [carol, gus] } satisfies LiveParameters },
  play: async (context) => {
    const body = page(context.canvasElement);
    const dialog = await body.findByRole('alertdialog', { name: 'Incoming call from carol' }, WAIT);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Accept' }));
    await waitFor(() => expect(worldOf(context).control(carol).latest()?.state).toBe('ACCEPTED_BY_REMOTE'), WAIT);
    const second = worldOf(context).control(gus).call();
    await body.findByText('Declined a call from gus: busy', {}, WAIT);
    await waitFor(() => expect(second.state).toBe('REFUSED_BY_REMOTE'), WAIT);
    await expect(second.response).toBe('busy');
    await expect(body.queryByRole('alertdialog')).toBeNull();
  },
};

/** The dark theme on the dialogs (they live in a portal, outside your themed tree). */
export const DarkTheme: Story = {
  args: { theme: 'dark' },
  play: async ({ canvasElement }) => {
    const dialog = await page(canvasElement).findByRole('alertdialog', { name: 'Incoming call from carol' }, WAIT);
    await expect(dialog.getAttribute('data-theme')).toBe('dark');
  },
};

/** Every string can be replaced (`strings`). */
export const OverriddenStrings: Story = {
  args: {
    strings: {
      incomingCallFrom: (peer: string) => `Eingehender Anruf von ${peer}`,
      accept: 'Annehmen',
      decline: 'Ablehnen',
    },
  },
  play: async ({ canvasElement }) => {
    const dialog = await page(canvasElement).findByRole('alertdialog', { name: 'Eingehender Anruf von carol' }, WAIT);
    within(dialog).getByRole('button', { name: 'Annehmen' });
    within(dialog).getByRole('button', { name: 'Ablehnen' });
  },
};
