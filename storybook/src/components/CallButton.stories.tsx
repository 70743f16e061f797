import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor } from 'storybook/test';
import { CallButton, CallDialog } from '@rtm-kit/ui';
import { silentPeer } from '../live/peers';
import type { LiveParameters } from '../live/world';

const erin = silentPeer({ uid: 'erin' });
const WAIT = { timeout: 8_000 };

/**
 * Calls a peer; a `<CallDialog />` under the same `RtmProvider` shows the call. Named "Call
 * {peerId}"; disabled, with the reason as its description, until connected and while a call to
 * the same peer rings.
 *
 * ```tsx
 * <CallButton peerId="erin" channelId="room-42" content="Quick sync?" />
 * ```
 */
const meta = {
  title: 'Components/CallButton',
  component: CallButton,
  render: (args) => (
    <>
      <CallButton {...args} />
      <CallDialog autoCloseMs={false} />
    </>
  ),
  args: { peerId: 'erin', channelId: 'room-42' },
  parameters: { live: { peers: [erin] } satisfies LiveParameters },
} satisfies Meta<typeof CallButton>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Connected: ready to call. */
export const Ready: Story = {
  play: async ({ canvas }) => {
    await waitFor(() => expect(canvas.getByRole('button', { name: 'Call erin' })).toBeEnabled(), WAIT);
  },
};

/** While its call rings, the button is disabled and says why. */
export const Calling: Story = {
  play: async ({ canvas }) => {
    const button = canvas.getByRole('button', { name: 'Call erin' });
    await waitFor(() => expect(button).toBeEnabled(), WAIT);
    await userEvent.click(button);
    await waitFor(() => expect(button).toBeDisabled(), WAIT);
    await expect(button).toHaveAccessibleDescription('Already calling erin');
  },
};

/** Not logged in: disabled until connected. */
export const Unavailable: Story = {
  parameters: { live: { login: false } satisfies LiveParameters },
  play: async ({ canvas }) => {
    const button = canvas.getByRole('button', { name: 'Call erin' });
    await expect(button).toBeDisabled();
    await expect(button).toHaveAccessibleDescription('Calls are possible once connected');
  },
};
