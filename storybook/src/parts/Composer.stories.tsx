import type { ComponentType } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { Composer, MessageList, type ComposerProps } from '@rtm-kit/ui';
import { targetOf, type TargetArgs } from '../components/target-args';
import { worldOf } from '../live/Live';
import { echoPeer } from '../live/peers';
import type { LiveParameters } from '../live/world';

const echo = echoPeer({ uid: 'echo', channels: ['lobby'] });
const WAIT = { timeout: 8_000 };

/**
 * The message box: Enter sends, Shift+Enter breaks the line, a byte counter near the 32 KB limit,
 * attachments (button, drop, paste), and disabled with the reason while it cannot send. Here
 * with a `MessageList` above it to see what it sends.
 *
 * ```tsx
 * <MessageList peerId="echo" />
 * <Composer peerId="echo" />
 * ```
 */
const meta = {
  title: 'Parts/Composer',
  component: Composer as ComponentType<TargetArgs<ComposerProps>>,
  render: ({ channelId, peerId, ...props }) => (
    <div style={{ height: 420, maxWidth: 640, display: 'flex', flexDirection: 'column' }}>
      <MessageList {...targetOf({ channelId, peerId })} />
      <Composer {...props} {...targetOf({ channelId, peerId })} />
    </div>
  ),
  args: { peerId: 'echo' },
  parameters: { live: { peers: [echo], clientTiming: { interruptionMs: 200, reconnectDelayMs: 300, reconnectDelayMaxMs: 1_000 } } satisfies LiveParameters },
} satisfies Meta<TargetArgs<ComposerProps>>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Type and press Send. */
export const Send: Story = {
  play: async ({ canvas }) => {
    const box = canvas.getByRole('textbox', { name: 'Message echo' });
    await waitFor(() => expect(box).toBeEnabled(), WAIT);
    await userEvent.type(box, 'Two{Shift>}{Enter}{/Shift}lines');
    await userEvent.click(canvas.getByRole('button', { name: 'Send' }));
    await within(canvas.getByRole('log', { name: 'Messages with echo' })).findByText('Echo: Two\nlines', { normalizer: (s) => s }, WAIT);
    await expect(box).toHaveValue('');
  },
};

/** Past 32 KB the message cannot be sent, and the box says why. */
export const TooLong: Story = {
  play: async ({ canvas }) => {
    const box = canvas.getByRole('textbox', { name: 'Message echo' });
    await waitFor(() => expect(box).toBeEnabled(), WAIT);
    await userEvent.click(box);
    await userEvent.paste('x'.repeat(33_000));
    await canvas.findByText(/^Too long to send: 33,000 of at most 32,768 bytes\.$/, {}, WAIT);
    await expect(box).toHaveAttribute('aria-invalid', 'true');
    await expect(canvas.getByRole('button', { name: 'Send' })).toBeDisabled();
  },
};

/** The connection dropped: the box is disabled and says why. */
export const WhileReconnecting: Story = {
  play: async (context) => {
    const world = worldOf(context);
    const box = context.canvas.getByRole('textbox', { name: 'Message echo' });
    await waitFor(() => expect(box).toBeEnabled(), WAIT);
    world.server.goOffline(world.me);
    await context.canvas.findByText('Reconnecting… You can send again once the connection is back.', {}, WAIT);
    await expect(box).toBeDisabled();
  },
};
