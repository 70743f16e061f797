import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor } from 'storybook/test';
import { useChannel, type MessageItem } from '@rtm-kit/react';
import { echoPeer, memberPeer } from '../live/peers';
import type { LiveParameters } from '../live/world';
import { HookValue, shownValue } from './HookValue';

const echo = echoPeer({ uid: 'echo', channels: ['lobby'] });
const gina = memberPeer({ uid: 'gina', channels: ['lobby'] });

const brief = (m: MessageItem) => ({ from: m.from, text: 'text' in m.message ? m.message.text : m.message.messageType, status: m.status });

function Channel({ channelId }: { readonly channelId: string }) {
  const { status, error, members, memberCount, messages, sendMessage } = useChannel(channelId);
  return (
    <HookValue call={`useChannel('${channelId}')`} value={{ status, error, members, memberCount, messages: messages.map(brief) }}>
      <button type="button" className="rtm-button" disabled={status !== 'joined'} onClick={() => void sendMessage('hello').catch(() => undefined)}>
        Send “hello”
      </button>
    </HookValue>
  );
}

/**
 * `useChannel(channelId)` → `{ status, error, messages, members, memberCount, sendMessage, retry,
 * leave, join }`: the channel is joined while a component uses it; own messages show at once
 * (`sending`, then `sent` or `failed`). Here `echo` answers in the channel and `gina` is there too.
 *
 * ```tsx
 * const { status, messages, members, sendMessage } = useChannel('lobby');
 * ```
 */
const meta = {
  title: 'Hooks/useChannel',
  component: Channel,
  args: { channelId: 'lobby' },
  parameters: { live: { peers: [echo, gina] } satisfies LiveParameters },
} satisfies Meta<typeof Channel>;

export default meta;

/** Joined with its members; a message you send shows as sent, then echo's answer arrives. */
export const Lobby: StoryObj<typeof meta> = {
  play: async ({ canvas, canvasElement }) => {
    await waitFor(() => expect(shownValue(canvasElement)).toMatchObject({ status: 'joined', memberCount: 3 }), { timeout: 8_000 });
    await waitFor(() => expect((shownValue(canvasElement) as { members: string[] }).members.sort()).toEqual(['echo', 'gina', 'you']), { timeout: 8_000 });
    await userEvent.click(canvas.getByRole('button', { name: 'Send “hello”' }));
    await waitFor(
      () =>
        expect(shownValue(canvasElement)).toMatchObject({
          messages: [
            { from: 'you', text: 'hello', status: 'sent' },
            { from: 'echo', text: 'Echo: hello' },
          ],
        }),
      { timeout: 8_000 },
    );
  },
};
