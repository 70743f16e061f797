import type { LocalInvitation, RemoteInvitation, RtmChannel, RtmClient, RtmMessage } from '@rtm-kit/client';
import type { InProcessServer } from '@rtm-kit/server/in-process';
import { makeThumbnail } from '@rtm-kit/ui';

/** What a simulated peer's script gets: its own logged-in 1.x client and a few helpers. */
export interface PeerContext {
  readonly uid: string;
  /** A real `@rtm-kit/client` client, logged in as `uid` through the in-process server. */
  readonly client: RtmClient;
  /** The story's user. */
  readonly me: string;
  readonly server: InProcessServer;
  /** True once the story ended; scripts do nothing more. */
  readonly stopped: boolean;
  /** Runs `task` after `ms` unless the story ends first. */
  after(ms: number, task: () => unknown): void;
  /** Resolves once `uid` is online (at once if it is). */
  online(uid: string): Promise<void>;
}

/**
 * A simulated peer: a uid and a script. `start` runs once the peer is logged in, before the story
 * renders, and returns the peer's controls, which a story's play function reaches with
 * `world.control(spec)`.
 */
export interface PeerSpec<C = void> {
  readonly uid: string;
  /** What the peer does, in a sentence (for the docs). */
  readonly description: string;
  start(peer: PeerContext): C | Promise<C>;
}

const textOf = (message: RtmMessage): string => {
  switch (message.messageType) {
    case 'TEXT':
      return message.text;
    case 'IMAGE':
      return 'an image';
    case 'FILE':
      return message.fileName === '' ? 'a file' : message.fileName;
    default:
      return 'a message';
  }
};

async function joined(client: RtmClient, channelId: string): Promise<RtmChannel> {
  const channel = client.createChannel(channelId);
  await channel.join();
  return channel;
}

/**
 * Answers every peer message (and every message in `channels`) with "Echo: <text>" after
 * `delayMs`, as a person typing a reply would.
 */
export function echoPeer({ uid = 'echo', channels = [] as readonly string[], delayMs = 400 } = {}): PeerSpec<void> {
  const reply = (message: RtmMessage) => `Echo: ${textOf(message)}`;
  return {
    uid,
    description: `${uid} answers every message with “Echo: …”${channels.length > 0 ? ` (also in ${channels.join(', ')})` : ''}.`,
    async start(peer) {
      peer.client.on('MessageFromPeer', (message, from) => {
        peer.after(delayMs, () => peer.client.sendMessageToPeer({ text: reply(message) }, from, { enableOfflineMessaging: true }));
      });
      for (const channelId of channels) {
        const channel = await joined(peer.client, channelId);
        channel.on('ChannelMessage', (message) => {
          peer.after(delayMs, () => channel.sendMessage({ text: reply(message) }));
        });
      }
    },
  };
}

export interface CallingPeerControl {
  /** Call the story's user now. */
  call(): LocalInvitation;
  /** The latest call, if any. */
  latest(): LocalInvitation | undefined;
  /** Cancel the latest call. */
  cancel(): void;
}

/** Calls the story's user once it is online (`autoCall`), or when the story says so. */
export function callingPeer({ uid = 'carol', channelId = 'call-1', content = '', autoCall = true, delayMs = 300 } = {}): PeerSpec<CallingPeerControl> {
  return {
    uid,
    description: `${uid} calls you${autoCall ? ' as soon as you are online' : ''}.`,
    start(peer) {
      const calls: LocalInvitation[] = [];
      const control: CallingPeerControl = {
        call() {
          const invitation = peer.client.createLocalInvitation(peer.me);
          invitation.channelId = channelId;
          invitation.content = content;
          invitation.send();
          calls.push(invitation);
          return invitation;
        },
        latest: () => calls.at(-1),
        cancel() {
          calls.at(-1)?.cancel();
        },
      };
      if (autoCall) void peer.online(peer.me).then(() => peer.after(delayMs, () => control.call()), () => undefined);
      return control;
    },
  };
}

function answering(peer: PeerContext, delayMs: number, answer: (invitation: RemoteInvitation) => void): void {
  peer.client.on('RemoteInvitationReceived', (invitation) => peer.after(delayMs, () => answer(invitation)));
}

/** Accepts every call after `delayMs`, with `response`. */
export function answeringPeer({ uid = 'bob', response = 'On my way', delayMs = 700 } = {}): PeerSpec<void> {
  return {
    uid,
    description: `${uid} accepts every call (“${response}”).`,
    start(peer) {
      answering(peer, delayMs, (invitation) => {
        invitation.response = response;
        invitation.accept();
      });
    },
  };
}

/** Declines every call after `delayMs`, with `response`. */
export function decliningPeer({ uid = 'dave', response = 'In a meeting', delayMs = 700 } = {}): PeerSpec<void> {
  return {
    uid,
    description: `${uid} declines every call (“${response}”).`,
    start(peer) {
      answering(peer, delayMs, (invitation) => {
        invitation.response = response;
        invitation.refuse();
      });
    },
  };
}

/** Online, but never answers a call: it rings until cancelled or it expires. */
export function silentPeer({ uid = 'erin' } = {}): PeerSpec<void> {
  return { uid, description: `${uid} is online but never answers.`, start() {} };
}

/** Online, a member of `channels` (and with `attributes`), and otherwise quiet. */
export function memberPeer({ uid = 'gina', channels = [] as readonly string[], attributes = {} as Record<string, string> } = {}): PeerSpec<void> {
  return {
    uid,
    description: `${uid} is in ${channels.length > 0 ? channels.join(', ') : 'no channel'}.`,
    async start(peer) {
      if (Object.keys(attributes).length > 0) await peer.client.setLocalUserAttributes(attributes);
      for (const channelId of channels) await joined(peer.client, channelId);
    },
  };
}

export interface FlakyPeerControl {
  goOffline(): Promise<void>;
  goOnline(): Promise<void>;
}

/**
 * Goes offline and comes back: its network drops (`network`: others see it UNREACHABLE, then
 * ONLINE when it is back) or it logs out and in again (`logout`: OFFLINE, then ONLINE). With
 * `cycle`, it does so by itself every `onlineMs` + `offlineMs`, at most `cycles` times.
 */
export function flakyPeer({
  uid = 'frank',
  channels = [] as readonly string[],
  mode = 'network' as 'network' | 'logout',
  cycle = true,
  onlineMs = 3_000,
  offlineMs = 3_000,
  cycles = 100,
} = {}): PeerSpec<FlakyPeerControl> {
  return {
    uid,
    description: `${uid} ${mode === 'network' ? 'loses its network' : 'logs out'} and comes back${cycle ? ` every ${(onlineMs + offlineMs) / 1000} s` : ''}.`,
    async start(peer) {
      // A client re-joins its channels by itself after a reconnect or a new login.
      for (const channelId of channels) await joined(peer.client, channelId);
      // The client allows a login every 500 ms (1.x: two a second); the peer logged in just now.
      let loggedInAt = Date.now();
      const control: FlakyPeerControl = {
        async goOffline() {
          if (mode === 'network') peer.server.goOffline(uid);
          else await peer.client.logout();
        },
        async goOnline() {
          if (mode === 'network') {
            peer.server.goOnline(uid);
            return;
          }
          const wait = loggedInAt + 600 - Date.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          loggedInAt = Date.now();
          await peer.client.login({ uid });
        },
      };
      let left = cycles;
      const next = () => {
        if (left-- <= 0) return;
        peer.after(onlineMs, async () => {
          await control.goOffline();
          peer.after(offlineMs, async () => {
            await control.goOnline();
            next();
          });
        });
      };
      if (cycle) next();
      return control;
    },
  };
}

export interface ImagePeerControl {
  /** Upload a new picture and send it (to the story's user, or into the channel). */
  send(): Promise<void>;
}

/** Sends a picture it draws (a PNG uploaded through the media endpoints) once the story's user is there. */
export function imagePeer({ uid = 'iris', channelId = null as string | null, delayMs = 500, autoSend = true } = {}): PeerSpec<ImagePeerControl> {
  return {
    uid,
    description: `${uid} sends you a picture${channelId === null ? '' : ` in ${channelId}`}.`,
    async start(peer) {
      const channel = channelId === null ? null : await joined(peer.client, channelId);
      let count = 0;
      const control: ImagePeerControl = {
        async send() {
          count++;
          const image = await drawPicture(`${uid} #${count}`);
          const fileName = `picture-${count}.png`;
          // A thumbnail travels in the message itself, as the kit's own composer sends images.
          const thumbnail = await makeThumbnail(image.blob, fileName);
          const message = await peer.client.createMediaMessageByUploading(image.blob, {
            messageType: 'IMAGE',
            fileName,
            width: image.width,
            height: image.height,
            ...(thumbnail ? { thumbnail: thumbnail.blob, thumbnailWidth: thumbnail.width, thumbnailHeight: thumbnail.height } : {}),
          });
          if (channel) await channel.sendMessage(message);
          else await peer.client.sendMessageToPeer(message, peer.me, { enableOfflineMessaging: true });
        },
      };
      if (autoSend) {
        if (channel) {
          channel.on('MemberJoined', (member) => {
            if (member === peer.me) peer.after(delayMs, () => control.send());
          });
        } else void peer.online(peer.me).then(() => peer.after(delayMs, () => control.send()), () => undefined);
      }
      return control;
    },
  };
}

export interface HistoryPeerControl {
  /** Resolves with the number of messages sent, once all are. */
  readonly done: Promise<number>;
}

/**
 * Fills a channel: once the story's user joins `channelId`, sends `count` messages into it as fast
 * as the server's `messageRate` allows (give the story a large one).
 */
export function historyPeer({ uid = 'hank', channelId = 'lobby', count = 10_000, batch = 500 } = {}): PeerSpec<HistoryPeerControl> {
  return {
    uid,
    description: `${uid} sends ${count.toLocaleString('en')} messages into ${channelId} when you join it.`,
    async start(peer) {
      const channel = await joined(peer.client, channelId);
      let resolve: (sent: number) => void = () => undefined;
      const done = new Promise<number>((r) => (resolve = r));
      channel.on('MemberJoined', (member) => {
        if (member !== peer.me) return;
        void (async () => {
          let sent = 0;
          for (let from = 0; from < count && !peer.stopped; from += batch) {
            const size = Math.min(batch, count - from);
            await Promise.all(Array.from({ length: size }, (_, i) => channel.sendMessage({ text: `Message ${from + i + 1} of ${count}` })));
            sent += size;
          }
          resolve(sent);
        })().catch((error: unknown) => console.warn(`[peer ${uid}]`, error));
      });
      return { done };
    },
  };
}

/** A small PNG: a gradient with a label, drawn on a canvas. */
async function drawPicture(label: string): Promise<{ blob: Blob; width: number; height: number }> {
  const width = 240;
  const height = 160;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d');
  if (g) {
    const gradient = g.createLinearGradient(0, 0, width, height);
    gradient.addColorStop(0, '#1f5fd1');
    gradient.addColorStop(1, '#4cc38a');
    g.fillStyle = gradient;
    g.fillRect(0, 0, width, height);
    g.fillStyle = '#ffffff';
    g.font = 'bold 20px sans-serif';
    g.fillText(label, 16, height - 20);
  }
  const blob = await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('no PNG'))), 'image/png'));
  return { blob, width, height };
}
