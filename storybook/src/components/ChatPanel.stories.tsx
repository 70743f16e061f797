import type { ComponentType } from 'react';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { ChatPanel, type ChatPanelProps } from '@rtm-kit/ui';
import { echoPeer, historyPeer, imagePeer, memberPeer } from '../live/peers';
import { worldOf } from '../live/Live';
import type { LiveParameters } from '../live/world';
import { targetOf, type TargetArgs } from './target-args';

const echo = echoPeer({ uid: 'echo', channels: ['lobby'] });
const gina = memberPeer({ uid: 'gina', channels: ['lobby'], attributes: { name: 'Gina' } });
const iris = imagePeer({ uid: 'iris' });
const hank = historyPeer({ uid: 'hank', channelId: 'history', count: 10_000 });

const WAIT = { timeout: 8_000 };

/**
 * A complete chat for a channel (`channelId`) or a conversation with one peer (`peerId`): header,
 * the virtualized message log, the composer with attachments, and for channels the member list.
 * Every story here is live: your side is logged in as `you` to a real rtm-kit core running in the
 * page, and the other users are simulated peers (real clients with a small script).
 *
 * ```tsx
 * import { RtmProvider } from '@rtm-kit/react';
 * import { CallDialog, ChatPanel } from '@rtm-kit/ui';
 * import '@rtm-kit/ui/styles.css';
 *
 * <RtmProvider appId={APP_ID} uid="you">
 *   <ChatPanel channelId="lobby" />
 *   <ChatPanel peerId="echo" />
 *   <CallDialog />
 * </RtmProvider>
 * ```
 */
const meta = {
  title: 'Components/ChatPanel',
  component: ChatPanel as ComponentType<TargetArgs<ChatPanelProps>>,
  render: ({ channelId, peerId, ...props }) => <ChatPanel {...props} {...targetOf({ channelId, peerId })} />,
  decorators: [(Story) => <div style={{ height: 520, maxWidth: 880 }}><Story /></div>],
  // Literal objects (not a helper's result) in meta: Storybook adds its docs to them as written.
  parameters: { live: { peers: [echo, gina] } satisfies LiveParameters },
  args: { peerId: 'echo' },
} satisfies Meta<TargetArgs<ChatPanelProps>>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A conversation with `echo`, who answers everything: type, press Enter, and read the reply. */
export const Conversation: Story = {
  play: async ({ canvas }) => {
    const box = await canvas.findByRole('textbox', { name: 'Message echo' });
    await waitFor(() => expect(box).toBeEnabled(), WAIT);
    await userEvent.type(box, 'Hello from Storybook{Enter}');
    const log = canvas.getByRole('log', { name: 'Messages with echo' });
    await within(log).findByText('Hello from Storybook', {}, WAIT);
    await within(log).findByText('Echo: Hello from Storybook', {}, WAIT);
  },
};

/** A conversation with `echo` and nothing done yet: yours to try (and what the static build's test drives). */
export const Playground: Story = {
  play: async ({ canvas }) => {
    await waitFor(() => expect(canvas.getByRole('textbox', { name: 'Message echo' })).toBeEnabled(), WAIT);
  },
};

/** A channel with its topic, members (with their online status) and messages; `echo` answers in it. */
export const Channel: Story = {
  args: { channelId: 'lobby', peerId: undefined, topicEditable: true },
  play: async ({ canvas }) => {
    const members = await canvas.findByRole('list', { name: 'Members of lobby' });
    await within(members).findByText('gina', {}, WAIT);
    await within(members).findByText('echo', {}, WAIT);
    const box = canvas.getByRole('textbox', { name: 'Message lobby' });
    await waitFor(() => expect(box).toBeEnabled(), WAIT);
    await userEvent.type(box, 'Hi all{Enter}');
    await within(canvas.getByRole('log', { name: 'Messages in lobby' })).findByText('Echo: Hi all', {}, WAIT);
  },
};

/** Nobody has written yet. */
export const Empty: Story = {
  args: { peerId: 'gina' },
  play: async ({ canvas, canvasElement }) => {
    await canvas.findByText('No messages with gina yet.', {}, WAIT);
    await waitFor(() => expect(canvasElement.querySelector('.rtm-chat')?.getAttribute('data-state')).toBe('empty'), WAIT);
  },
};

/** 10,000 messages in a channel (sent live by `hank` when you join): the list is virtualized and keeps to the newest. */
export const LongHistory: Story = {
  args: { channelId: 'history', peerId: undefined, showMembers: false },
  parameters: {
    live: {
      peers: [hank],
      server: { limits: { messageRate: { count: 100_000, windowMs: 1_000 } } },
      storeOptions: { maxMessages: 10_000 },
    } satisfies LiveParameters,
  },
  play: async (context) => {
    const sent = await worldOf(context).control(hank).done;
    await expect(sent).toBe(10_000);
    const log = await context.canvas.findByRole('log', { name: 'Messages in history' });
    await within(log).findByText('Message 10000 of 10000', {}, { timeout: 20_000 });
    // Virtualized: only a window of the 10,000 is in the document.
    await expect(log.querySelectorAll('.rtm-chat-message').length).toBeLessThan(200);
  },
};

/**
 * Your network drops while you send: after a few seconds the message is "Not sent" with Retry.
 * The network comes back and Retry sends it.
 */
export const FailedSendWithRetry: Story = {
  parameters: {
    live: {
      peers: [echo],
      // Stay "connected" through the drop (no reconnecting banner), and give up on the send quickly.
      clientTiming: { interruptionMs: 30_000, reconnectWaitMs: 1_000, reconnectDelayMs: 100, reconnectDelayMaxMs: 200 },
    } satisfies LiveParameters,
  },
  play: async (context) => {
    const { canvas } = context;
    const world = worldOf(context);
    const box = await canvas.findByRole('textbox', { name: 'Message echo' });
    await waitFor(() => expect(box).toBeEnabled(), WAIT);
    world.server.goOffline(world.me);
    await userEvent.type(box, 'Are you there?{Enter}');
    const log = canvas.getByRole('log', { name: 'Messages with echo' });
    const retry = await within(log).findByRole('button', { name: 'Retry' }, WAIT);
    await within(log).findByText('Not sent');
    world.server.goOnline(world.me);
    await waitFor(() => expect(world.client.connectionState).toBe('CONNECTED'), WAIT);
    // The socket is back once the client's backoff has run.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await userEvent.click(retry);
    await within(log).findByText('Echo: Are you there?', {}, WAIT);
    await expect(within(log).queryByRole('button', { name: 'Retry' })).toBeNull();
  },
};

/** A picture arrives from `iris`; you attach a file, which uploads over a slow link with progress and Cancel. */
export const UploadInProgress: Story = {
  args: { peerId: 'iris' },
  parameters: { live: { peers: [iris], server: { mediaBytesPerSecond: 256 * 1024 } } satisfies LiveParameters },
  play: async ({ canvas, canvasElement }) => {
    const log = await canvas.findByRole('log', { name: 'Messages with iris' });
    await within(log).findByRole('img', { name: 'Image picture-1.png' }, { timeout: 10_000 });
    const box = canvas.getByRole('textbox', { name: 'Message iris' });
    await waitFor(() => expect(box).toBeEnabled(), WAIT);
    const input = canvasElement.querySelector<HTMLInputElement>('input[type="file"]');
    if (input === null) throw new Error('no file input');
    const file = new File([new Uint8Array(4 * 1024 * 1024)], 'report.pdf', { type: 'application/pdf' });
    await userEvent.upload(input, file);
    const progress = await canvas.findByRole('progressbar', { name: 'Uploading report.pdf' }, WAIT);
    await waitFor(() => expect(Number(progress.getAttribute('value'))).toBeGreaterThan(0), { timeout: 10_000 });
  },
};

/** An upload over a slow link, cancelled: nothing is sent. */
export const UploadCancelled: Story = {
  args: { peerId: 'echo' },
  parameters: { live: { peers: [echo], server: { mediaBytesPerSecond: 256 * 1024 } } satisfies LiveParameters },
  play: async ({ canvas, canvasElement }) => {
    const box = await canvas.findByRole('textbox', { name: 'Message echo' });
    await waitFor(() => expect(box).toBeEnabled(), WAIT);
    const input = canvasElement.querySelector<HTMLInputElement>('input[type="file"]');
    if (input === null) throw new Error('no file input');
    await userEvent.upload(input, new File([new Uint8Array(4 * 1024 * 1024)], 'video.mp4', { type: 'video/mp4' }));
    await canvas.findByRole('progressbar', { name: 'Uploading video.mp4' }, WAIT);
    await userEvent.click(canvas.getByRole('button', { name: 'Cancel upload of video.mp4' }));
    await waitFor(() => expect(canvas.queryByRole('progressbar', { name: 'Uploading video.mp4' })).toBeNull(), WAIT);
    await expect(within(canvas.getByRole('log', { name: 'Messages with echo' })).queryByText('video.mp4')).toBeNull();
  },
};

/** The connection dropped: a banner says so and sending waits until it is back. */
export const Reconnecting: Story = {
  parameters: { live: { peers: [echo], clientTiming: { interruptionMs: 200, reconnectDelayMs: 300, reconnectDelayMaxMs: 1_000 } } satisfies LiveParameters },
  play: async (context) => {
    const world = worldOf(context);
    const box = await context.canvas.findByRole('textbox', { name: 'Message echo' });
    await waitFor(() => expect(box).toBeEnabled(), WAIT);
    world.server.goOffline(world.me);
    await context.canvas.findByText('Reconnecting…', {}, WAIT);
    await waitFor(() => expect(box).toBeDisabled(), WAIT);
  },
};

/** Signed in elsewhere (the same user logged in on another device): this session ended, and the panel says you are offline. */
export const Offline: Story = {
  play: async (context) => {
    const world = worldOf(context);
    const box = await context.canvas.findByRole('textbox', { name: 'Message echo' });
    await waitFor(() => expect(box).toBeEnabled(), WAIT);
    await world.newClient().login({ uid: world.me });
    await context.canvas.findByText('You are offline.', {}, WAIT);
    await waitFor(() => expect(box).toBeDisabled(), WAIT);
  },
};

/** The dark theme (`theme="dark"`), whatever the page's. */
export const DarkTheme: Story = {
  args: { channelId: 'lobby', peerId: undefined, theme: 'dark' },
  play: async ({ canvas }) => {
    const panel = await canvas.findByRole('group', { name: 'Chat in lobby' });
    await expect(panel.getAttribute('data-theme')).toBe('dark');
    await within(await canvas.findByRole('list', { name: 'Members of lobby' })).findByText('gina', {}, WAIT);
  },
};

/** Every string can be replaced (`strings`), e.g. to translate the panel. */
export const OverriddenStrings: Story = {
  args: {
    peerId: 'echo',
    strings: {
      send: 'Senden',
      messageTo: (target: string) => `Nachricht an ${target}`,
      chatWith: (peer: string) => `Chat mit ${peer}`,
      messagesWith: (peer: string) => `Nachrichten mit ${peer}`,
      emptyConversation: (peer: string) => `Noch keine Nachrichten mit ${peer}.`,
      attachFile: 'Datei anhängen',
      attachHint: () => 'Dateien und Bilder bis 30 MB',
      callPeer: (peer: string) => `${peer} anrufen`,
    },
  },
  play: async ({ canvas }) => {
    await canvas.findByRole('group', { name: 'Chat mit echo' });
    await canvas.findByText('Noch keine Nachrichten mit echo.', {}, WAIT);
    const box = canvas.getByRole('textbox', { name: 'Nachricht an echo' });
    await waitFor(() => expect(box).toBeEnabled(), WAIT);
    await userEvent.type(box, 'Hallo{Enter}');
    await within(canvas.getByRole('log', { name: 'Nachrichten mit echo' })).findByText('Echo: Hallo', {}, WAIT);
    canvas.getByRole('button', { name: 'Senden' });
  },
};
