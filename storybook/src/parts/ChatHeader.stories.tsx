import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor } from 'storybook/test';
import { CallButton, ChannelHeader, PeerHeader } from '@rtm-kit/ui';
import { flakyPeer, memberPeer } from '../live/peers';
import { worldOf } from '../live/Live';
import type { LiveParameters } from '../live/world';

const gina = memberPeer({ uid: 'gina', channels: ['lobby'] });
const frank = flakyPeer({ uid: 'frank', cycle: false });
const WAIT = { timeout: 8_000 };

/**
 * The top of a chat: `ChannelHeader` (the channel's name, its topic from the channel attributes,
 * optionally editable, and its member count) and `PeerHeader` (the peer and their online status).
 *
 * ```tsx
 * <ChannelHeader channelId="lobby" topicEditable />
 * <PeerHeader peerId="frank" actions={<CallButton peerId="frank" />} />
 * ```
 */
const meta = {
  title: 'Parts/ChatHeader',
  component: ChannelHeader,
  args: { channelId: 'lobby', topicEditable: true },
  parameters: { live: { peers: [gina] } satisfies LiveParameters },
} satisfies Meta<typeof ChannelHeader>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Edit the topic: it is saved in the channel attributes, where every member sees it. */
export const EditTopic: Story = {
  play: async ({ canvas }) => {
    await canvas.findByText('No topic yet', {}, WAIT);
    await userEvent.click(await canvas.findByRole('button', { name: 'Edit topic' }, WAIT));
    await userEvent.type(canvas.getByRole('textbox', { name: 'New topic' }), 'Ship it');
    await userEvent.click(canvas.getByRole('button', { name: 'Save topic' }));
    await canvas.findByText('Ship it', {}, WAIT);
  },
};

/** A conversation's header with the peer's status, which follows them (here `frank` loses his network). */
export const Peer: Story = {
  render: () => <PeerHeader peerId="frank" actions={<CallButton peerId="frank" />} />,
  parameters: { live: { peers: [frank] } satisfies LiveParameters },
  play: async (context) => {
    await context.canvas.findByText('Online', {}, WAIT);
    await worldOf(context).control(frank).goOffline();
    await context.canvas.findByText('Unreachable', {}, WAIT);
    await waitFor(() => expect(context.canvas.getByRole('button', { name: 'Call frank' })).toBeEnabled(), WAIT);
  },
};
