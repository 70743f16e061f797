import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, userEvent, within } from 'storybook/test';
import { RtmError } from '@rtm-kit/client';
import type { PeerMessageItem } from '@rtm-kit/react';
import { MessageListView } from '@rtm-kit/ui';

const DAY = 24 * 3_600_000;
const now = Date.now();

/** A short conversation: yesterday's messages, then today's, one of them failed and one still sending. */
const conversation: PeerMessageItem[] = [
  { id: 'm1', from: 'ana', peerId: 'ana', message: { text: 'Did you see the release notes?', messageType: 'TEXT' }, serverReceivedTs: now - DAY - 600_000, isOfflineMessage: false },
  { id: 'm2', from: 'you', peerId: 'ana', message: { text: 'Not yet, link?', messageType: 'TEXT' }, serverReceivedTs: now - DAY - 540_000, isOfflineMessage: false, status: 'sent', hasPeerReceived: true },
  { id: 'm3', from: 'ana', peerId: 'ana', message: { text: 'https://example.com/notes — the media part is new', messageType: 'TEXT' }, serverReceivedTs: now - DAY - 500_000, isOfflineMessage: true },
  { id: 'm4', from: 'ana', peerId: 'ana', message: { rawMessage: new Uint8Array([1, 2, 3, 4]), messageType: 'RAW', description: '' }, serverReceivedTs: now - 900_000, isOfflineMessage: false },
  {
    id: 'm5',
    from: 'you',
    peerId: 'ana',
    message: { text: 'This one did not go out', messageType: 'TEXT' },
    serverReceivedTs: now - 120_000,
    isOfflineMessage: false,
    status: 'failed',
    error: new RtmError('The connection did not come back within 9s.', 'PEER_MESSAGE_ERR_TIMEOUT'),
  },
  { id: 'm6', from: 'you', peerId: 'ana', message: { text: 'And this one is on its way', messageType: 'TEXT' }, serverReceivedTs: now - 5_000, isOfflineMessage: false, status: 'sending' },
];

/** 10,000 messages from three people, a minute apart. */
const tenThousand: PeerMessageItem[] = Array.from({ length: 10_000 }, (_, i) => ({
  id: `h${i}`,
  from: ['ana', 'you', 'ben'][i % 3] as string,
  peerId: 'ana',
  message: { text: `Message ${i + 1}: ${'lorem ipsum dolor sit amet '.repeat(1 + (i % 5))}`, messageType: 'TEXT' as const },
  serverReceivedTs: now - (10_000 - i) * 60_000,
  isOfflineMessage: false,
  ...(i % 3 === 1 ? { status: 'sent' as const, hasPeerReceived: true } : {}),
}));

/**
 * The message log without a store: give it messages (the store's `MessageItem`s or your own
 * data), the user's uid and a label. Virtualized past `plainCount` messages; keeps to the newest
 * until the user scrolls away. Groups by sender and day, shows delivery states with Retry.
 *
 * ```tsx
 * <MessageListView messages={messages} uid="you" label="Messages with ana" onRetry={retry} />
 * ```
 */
const meta = {
  title: 'Parts/MessageListView',
  component: MessageListView,
  decorators: [(Story) => <div style={{ height: 420, maxWidth: 640, display: 'flex', flexDirection: 'column' }}><Story /></div>],
  args: { messages: conversation, uid: 'you', label: 'Messages with ana', peerId: 'ana', onRetry: fn() },
} satisfies Meta<typeof MessageListView>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Received, sent, offline, binary, failed (Retry) and sending messages over two days. */
export const DeliveryStates: Story = {
  play: async ({ args, canvas }) => {
    const log = canvas.getByRole('log', { name: 'Messages with ana' });
    await within(log).findByText('This one did not go out');
    // The list is hidden while it measures its rows on the first frames.
    await userEvent.click(await within(log).findByRole('button', { name: 'Retry' }));
    await expect(args.onRetry).toHaveBeenCalledWith('m5');
    await within(log).findByText('Sending…');
    within(log).getByRole('separator', { name: 'Yesterday' });
    within(log).getByRole('separator', { name: 'Today' });
  },
};

/** 10,000 messages: only a window of them is in the document. */
export const TenThousandMessages: Story = {
  args: { messages: tenThousand },
  play: async ({ canvas }) => {
    const log = canvas.getByRole('log', { name: 'Messages with ana' });
    await within(log).findByText(/^Message 10000:/);
    await expect(log.querySelectorAll('.rtm-chat-message').length).toBeLessThan(200);
  },
};

/** Nothing yet: the `empty` slot. */
export const Empty: Story = {
  args: { messages: [], empty: <p className="rtm-chat-empty">No messages with ana yet.</p> },
  play: async ({ canvas }) => {
    await canvas.findByText('No messages with ana yet.');
  },
};
