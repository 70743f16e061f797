import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { useMemberCount } from '@rtm-kit/react';
import { memberPeer } from '../live/peers';
import type { LiveParameters } from '../live/world';
import { HookValue, shownValue } from './HookValue';

const gina = memberPeer({ uid: 'gina', channels: ['lobby', 'support'] });
const hal = memberPeer({ uid: 'hal', channels: ['lobby'] });

function Counts({ channelIds }: { readonly channelIds: readonly string[] }) {
  return <HookValue call={`useMemberCount(${JSON.stringify(channelIds)})`} value={useMemberCount(channelIds)} />;
}

/**
 * `useMemberCount(channelIds)` → `{ [channelId]: count }` of channels you need not join, from one
 * shared poll (1.x allows one `getChannelMemberCount` a second).
 *
 * ```tsx
 * const counts = useMemberCount(['lobby', 'support']);
 * ```
 */
const meta = {
  title: 'Hooks/useMemberCount',
  component: Counts,
  args: { channelIds: ['lobby', 'support', 'empty'] },
  parameters: { live: { peers: [gina, hal] } satisfies LiveParameters },
} satisfies Meta<typeof Counts>;

export default meta;

export const ThreeChannels: StoryObj<typeof meta> = {
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(shownValue(canvasElement)).toEqual({ lobby: 2, support: 1, empty: 0 }), { timeout: 8_000 });
  },
};
