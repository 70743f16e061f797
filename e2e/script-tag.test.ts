import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { chromiumArgs, chromiumPath } from './bundle.js';

interface PageGlobals {
  AgoraRTM: typeof import('@rtm-kit/client').default;
  client: import('@rtm-kit/client').RtmClient;
  received: string[];
}

const UMD = fileURLToPath(new URL('../packages/client/dist/agora-rtm.umd.js', import.meta.url));

/**
 * The script-tag build as a 1.x page loads it: one <script> that sets `window.AgoraRTM`, no
 * bundler, no module loader. Built by `npm run build` (which `npm test` runs first).
 */
describe('@rtm-kit/client script-tag build (dist/agora-rtm.umd.js) in Chromium', () => {
  let server: RtmServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ port: 0, logger: false });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('sets window.AgoraRTM and two pages exchange a peer message through the real server', async () => {
    const script = await readFile(UMD, 'utf8');
    const pages = await Promise.all(['alice', 'bob'].map(async () => (await browser.newContext()).newPage()));
    const errors: string[] = [];
    for (const page of pages) {
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${server.url}/healthz`);
      await page.addScriptTag({ content: script });
    }
    const [alice, bob] = pages as [typeof pages[0], typeof pages[0]];
    const surface = await alice.evaluate(() => {
      const rtm = (window as unknown as { AgoraRTM: Record<string, unknown> }).AgoraRTM;
      return { createInstance: typeof rtm['createInstance'], version: rtm['VERSION'], state: (rtm['ConnectionState'] as Record<string, string>)['CONNECTED'] };
    });
    expect(surface).toEqual({ createInstance: 'function', version: '1.5.1', state: 'CONNECTED' });

    // Plain page code: the global is all there is, as in a 1.x app without a bundler.
    const login = (uid: string) => {
      const page = window as unknown as PageGlobals;
      const client = page.AgoraRTM.createInstance('0123456789abcdef0123456789abcdef', { logFilter: page.AgoraRTM.LOG_FILTER_OFF });
      page.client = client;
      page.received = [];
      client.on('MessageFromPeer', (message, from) => page.received.push(`${from}: ${'text' in message ? message.text : ''}`));
      return client.login({ uid });
    };
    await bob.evaluate(login, 'bob');
    await alice.evaluate(login, 'alice');
    const result = await alice.evaluate(() => (window as unknown as PageGlobals).client.sendMessageToPeer({ text: 'from a script tag' }, 'bob'));
    expect(result).toEqual({ hasPeerReceived: true });
    await expect.poll(() => bob.evaluate(() => (window as unknown as PageGlobals).received)).toEqual(['alice: from a script tag']);
    expect(errors).toEqual([]);
  });
});
