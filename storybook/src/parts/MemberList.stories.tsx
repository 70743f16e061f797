import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, waitFor, within } from 'storybook/test';
import { CallButton, MemberList } from '@rtm-kit/ui';
import { worldOf } from '../live/Live';
import { flakyPeer, memberPeer } from '../live/peers';
import type { LiveParameters } from '../live/world';

const gina = memberPeer({ uid: 'gina', channels: ['lobby'] });
const hal = memberPeer({ uid: 'hal', channels: ['lobby'] });
const frank = flakyPeer({ uid: 'frank', channels: ['lobby'], cycle: false });
const WAIT = { timeout: 8_000 };

/**
 * A channel's members with their online status, you first. Members become buttons with
 * `onSelectMember` (e.g. to open a conversation), and `memberActions` adds controls per member.
 *
 * ```tsx
 * <MemberList channelId="lobby" onSelectMember={openConversation} memberActions={(uid) => <CallButton peerId={uid} />} />
 * ```
 */
const meta = {
  title: 'Parts/MemberList',
  component: MemberList,
  args: { channelId: 'lobby' },
  parameters: { live: { peers: [gina, hal] } satisfies LiveParameters },
} satisfies Meta<typeof MemberList>;

export default meta;
type Story = StoryObj<typeof meta>;

export const Members: Story = {
  play: async ({ canvas }) => {
    const list = await canvas.findByRole('list', { name: 'Members of lobby' });
    await within(list).findByText('gina', {}, WAIT);
    await within(list).findByText('hal', {}, WAIT);
  },
};

/** Members as buttons, and a call button for each. */
export const WithActions: Story = {
  args: { onSelectMember: fn(), memberActions: (uid: string) => <CallButton peerId={uid} /> },
  play: async ({ args, canvas }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Chat with gina' }, WAIT));
    await expect(args.onSelectMember).toHaveBeenCalledWith('gina');
    await waitFor(() => expect(canvas.getByRole('button', { name: 'Call hal' })).toBeEnabled(), WAIT);
  },
};

/** `frank` loses his network: he stays a member for the grace period, shown unreachable. */
export const Unreachable: Story = {
  parameters: { live: { peers: [gina, frank] } satisfies LiveParameters },
  play: async (context) => {
    const list = await context.canvas.findByRole('list', { name: 'Members of lobby' });
    const entry = (await within(list).findByText('frank', {}, WAIT)).closest('li');
    await waitFor(() => expect(entry?.getAttribute('data-state')).toBe('online'), WAIT);
    await worldOf(context).control(frank).goOffline();
    await waitFor(() => expect(entry?.getAttribute('data-state')).toBe('unreachable'), WAIT);
  },
};
