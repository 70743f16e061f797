import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { bundleForBrowser, chromiumArgs, chromiumPath } from './bundle.js';

const APP_ID = '0123456789abcdef0123456789abcdef';

declare global {
  interface Window {
    AgoraRTM: typeof import('@rtm-kit/client').default;
    rtm: import('@rtm-kit/client').RtmClient;
    seen: string[];
  }
}

describe('@rtm-kit/client in headless Chromium against the real server', () => {
  let server: RtmServer;
  let browser: Browser;
  let bundle: string;
  let alice: Page;
  let bob: Page;

  /** A page on the server's origin, so the client's default serverUrl (location.origin) is used. */
  async function openUser(uid: string): Promise<Page> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/healthz`);
    await page.addScriptTag({ content: bundle });
    await page.evaluate(async (id) => {
      window.seen = [];
      window.rtm = window.AgoraRTM.createInstance('0123456789abcdef0123456789abcdef', { logFilter: window.AgoraRTM.LOG_FILTER_OFF });
      window.rtm.on('ConnectionStateChanged', (s, r) => window.seen.push(`state:${s}/${r}`));
      window.rtm.on('MessageFromPeer', (m, from) => window.seen.push(`peer:${from}:${'text' in m ? m.text : m.messageType}`));
      await window.rtm.login({ uid: id });
    }, uid);
    return page;
  }

  beforeAll(async () => {
    bundle = await bundleForBrowser("import AgoraRTM from '@rtm-kit/client';\nwindow.AgoraRTM = AgoraRTM;\n");
    server = await startServer({ port: 0, logger: false });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    alice = await openUser('alice');
    bob = await openUser('bob');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('logs in from the page origin with the 1.x states', async () => {
    expect(await alice.evaluate(() => window.seen)).toEqual(['state:CONNECTING/LOGIN', 'state:CONNECTED/LOGIN_SUCCESS']);
    expect((await server.core.sessions.get(APP_ID, 'bob'))?.connected).toBe(true);
  });

  it('exchanges peer and channel messages between two browser contexts', async () => {
    const received = await alice.evaluate(() => window.rtm.sendMessageToPeer({ text: 'hi bob' }, 'bob'));
    expect(received).toEqual({ hasPeerReceived: true });
    await expect.poll(() => bob.evaluate(() => window.seen)).toContain('peer:alice:hi bob');

    await bob.evaluate(async () => {
      const channel = window.rtm.createChannel('lobby');
      channel.on('ChannelMessage', (m, from) => window.seen.push(`channel:${from}:${'text' in m ? m.text : ''}`));
      await channel.join();
    });
    await alice.evaluate(async () => {
      const channel = window.rtm.createChannel('lobby');
      await channel.join();
      await channel.sendMessage({ text: 'hello lobby' });
    });
    await expect.poll(() => bob.evaluate(() => window.seen)).toContain('channel:alice:hello lobby');
  });

  it('rings, and the callee accepts a call invitation', async () => {
    await bob.evaluate(() => {
      window.rtm.on('RemoteInvitationReceived', (invitation) => {
        window.seen.push(`invited-by:${invitation.callerId}:${invitation.channelId}`);
        invitation.response = 'on my way';
        invitation.accept();
      });
    });
    const outcome = await alice.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const invitation = window.rtm.createLocalInvitation('bob');
          invitation.channelId = 'call-1';
          invitation.on('LocalInvitationAccepted', (response) => resolve(`accepted:${response}`));
          invitation.on('LocalInvitationFailure', (reason) => resolve(`failed:${reason}`));
          invitation.send();
        }),
    );
    expect(outcome).toBe('accepted:on my way');
    expect(await bob.evaluate(() => window.seen)).toContain('invited-by:alice:call-1');
  });

  it('uploads an image from a Blob with progress, sends it, and the peer downloads the same bytes', async () => {
    const sent = await alice.evaluate(async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 64;
      canvas.height = 48;
      canvas.getContext('2d')?.fillRect(0, 0, 32, 24);
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b as Blob), 'image/png'));
      const progress: number[] = [];
      const message = await window.rtm.createMediaMessageByUploading(
        blob,
        { messageType: 'IMAGE', fileName: 'square.png', description: 'a square' },
        { onOperationProgress: ({ currentSize }) => progress.push(currentSize) },
      );
      await window.rtm.sendMessageToPeer(message, 'bob');
      return { mediaId: message.mediaId, size: blob.size, width: message.width, height: message.height, lastProgress: progress.at(-1) };
    });
    expect(sent.width).toBe(64);
    expect(sent.height).toBe(48);
    expect(sent.lastProgress).toBe(sent.size);
    await expect.poll(() => bob.evaluate(() => window.seen)).toContain('peer:alice:IMAGE');

    const downloaded = await bob.evaluate(async (mediaId) => {
      const blob = await window.rtm.downloadMedia(mediaId);
      const bytes = new Uint8Array(await blob.arrayBuffer());
      return { type: blob.type, size: blob.size, signature: Array.from(bytes.slice(0, 4)) };
    }, sent.mediaId);
    expect(downloaded).toEqual({ type: 'image/png', size: sent.size, signature: [0x89, 0x50, 0x4e, 0x47] });
  });

  it('logs out to DISCONNECTED/LOGOUT', async () => {
    await alice.evaluate(() => window.rtm.logout());
    expect((await alice.evaluate(() => window.seen)).at(-1)).toBe('state:DISCONNECTED/LOGOUT');
    await expect.poll(async () => server.core.sessions.get(APP_ID, 'alice')).toBeNull();
  });
});
