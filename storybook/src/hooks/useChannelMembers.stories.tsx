import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, waitFor } from 'storybook/test';
import { useChannelMembers } from '@rtm-kit/react';
import { worldOf } from '../live/Live';
import { memberPeer } from '../live/peers';
import type { LiveParameters } from '../live/world';
import { HookValue, shownValue } from './HookValue';

const gina = memberPeer({ uid: 'gina', channels: ['lobby'] });

function Members({ channelId }: { readonly channelId: string }) {
  return <HookValue call={`useChannelMembers('${channelId}')`} value={useChannelMembers(channelId)} />;
}

/**
 * `useChannelMembers(channelId)` → `{ members, memberCount }`, without re-rendering on messages.
 *
 * ```tsx
 * const { members, memberCount } = useChannelMembers('lobby');
 * ```
 */
const meta = {
  title: 'Hooks/useChannelMembers',
  component: Members,
  args: { channelId: 'lobby' },
  parameters: { live: { peers: [gina] } satisfies LiveParameters },
} satisfies Meta<typeof Members>;

export default meta;

/** Someone joins and the list grows; they leave and it shrinks. */
export const JoinAndLeave: StoryObj<typeof meta> = {
  play: async (context) => {
    const { canvasElement } = context;
    await waitFor(() => expect(shownValue(canvasElement)).toMatchObject({ memberCount: 2 }), { timeout: 8_000 });
    const tom = worldOf(context).newClient();
    await tom.login({ uid: 'tom' });
    const lobby = tom.createChannel('lobby');
    await lobby.join();
    await waitFor(() => expect(shownValue(canvasElement)).toMatchObject({ memberCount: 3 }), { timeout: 8_000 });
    await waitFor(() => expect((shownValue(canvasElement) as { members: string[] }).members.sort()).toEqual(['gina', 'tom', 'you']), { timeout: 8_000 });
    await lobby.leave();
    await waitFor(() => expect(shownValue(canvasElement)).toMatchObject({ memberCount: 2 }), { timeout: 8_000 });
  },
};
