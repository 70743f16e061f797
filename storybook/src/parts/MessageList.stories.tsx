import type { ComponentType } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { within } from 'storybook/test';
import { MessageList, type MessageListProps } from '@rtm-kit/ui';
import { targetOf, type TargetArgs } from '../components/target-args';
import { imagePeer } from '../live/peers';
import type { LiveParameters } from '../live/world';

const iris = imagePeer({ uid: 'iris', channelId: 'photos' });

/**
 * The message log of a channel or conversation, from the store: `MessageListView` fed with the
 * target's messages, with Retry wired to the store. Pictures show their thumbnail and download.
 *
 * ```tsx
 * <MessageList channelId="photos" />
 * ```
 */
const meta = {
  title: 'Parts/MessageList',
  component: MessageList as ComponentType<TargetArgs<MessageListProps>>,
  render: ({ channelId, peerId, ...props }) => (
    <div style={{ height: 420, maxWidth: 640, display: 'flex', flexDirection: 'column' }}>
      <MessageList {...props} {...targetOf({ channelId, peerId })} />
    </div>
  ),
  args: { channelId: 'photos' },
  parameters: { live: { peers: [iris] } satisfies LiveParameters },
} satisfies Meta<TargetArgs<MessageListProps>>;

export default meta;

/** `iris` posts a picture in the channel when you join. */
export const Picture: StoryObj<typeof meta> = {
  play: async ({ canvas }) => {
    const log = await canvas.findByRole('log', { name: 'Messages in photos' });
    await within(log).findByRole('img', { name: 'Image picture-1.png' }, { timeout: 10_000 });
    await within(log).findByRole('button', { name: 'Download picture-1.png' });
  },
};
