import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor } from 'storybook/test';
import { usePeerMessages, type PeerMessageItem } from '@rtm-kit/react';
import { echoPeer } from '../live/peers';
import type { LiveParameters } from '../live/world';
import { HookValue, shownValue } from './HookValue';

const echo = echoPeer({ uid: 'echo' });

const brief = (m: PeerMessageItem) => ({
  from: m.from,
  text: 'text' in m.message ? m.message.text : m.message.messageType,
  status: m.status,
  hasPeerReceived: m.hasPeerReceived,
  isOfflineMessage: m.isOfflineMessage,
});

function Conversation({ peerId }: { readonly peerId: string }) {
  const { messages, sendMessage } = usePeerMessages(peerId);
  return (
    <HookValue call={`usePeerMessages('${peerId}')`} value={{ messages: messages.map(brief) }}>
      <button type="button" className="rtm-button" onClick={() => void sendMessage('ping').catch(() => undefined)}>
        Send “ping”
      </button>
    </HookValue>
  );
}

/**
 * `usePeerMessages(peerId)` → `{ messages, sendMessage(message, options?), retry }`: a
 * one-to-one conversation; own messages carry `hasPeerReceived` once sent.
 *
 * ```tsx
 * const { messages, sendMessage } = usePeerMessages('echo');
 * ```
 */
const meta = {
  title: 'Hooks/usePeerMessages',
  component: Conversation,
  args: { peerId: 'echo' },
  parameters: { live: { peers: [echo] } satisfies LiveParameters },
} satisfies Meta<typeof Conversation>;

export default meta;

/** You send "ping"; `echo` has it (`hasPeerReceived`) and answers. */
export const WithEcho: StoryObj<typeof meta> = {
  play: async ({ canvas, canvasElement }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Send “ping”' }));
    await waitFor(
      () =>
        expect(shownValue(canvasElement)).toMatchObject({
          messages: [
            { from: 'you', text: 'ping', status: 'sent', hasPeerReceived: true },
            { from: 'echo', text: 'Echo: ping', isOfflineMessage: false },
          ],
        }),
      { timeout: 8_000 },
    );
  },
};
