import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { chromiumArgs, chromiumPath } from './bundle.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const demoRoot = join(root, 'demo');
const WAIT_MS = 10_000;
/** The App ID the login form fills in. */
const DEMO_APP_ID = '0123456789abcdef0123456789abcdef';

/** Waits until the locator shows (bounded), then returns its text. */
async function shown(locator: Locator): Promise<string> {
  await locator.waitFor({ state: 'visible', timeout: WAIT_MS });
  return (await locator.textContent()) ?? '';
}

describe('the demo app that `npm start` serves, used by two people in Chromium', () => {
  let outDir: string;
  let server: RtmServer;
  let browser: Browser;
  let alice: Page;
  let bob: Page;
  const pageErrors: string[] = [];

  async function openTab(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1180, height: 720 } });
    context.setDefaultTimeout(WAIT_MS);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`);
    });
    await page.goto(server.url);
    return page;
  }

  async function logIn(page: Page, uid: string): Promise<void> {
    await page.getByRole('textbox', { name: 'User ID' }).fill(uid);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Connection' }).textContent(), { timeout: WAIT_MS }).toContain('CONNECTED/LOGIN_SUCCESS');
  }

  beforeAll(async () => {
    // Built here, as `npm run build:demo` would, so the test needs no earlier build of the demo.
    outDir = await mkdtemp(join(root, 'node_modules', '.rtm-kit-demo-'));
    await build({
      root: demoRoot,
      configFile: join(demoRoot, 'vite.config.ts'),
      logLevel: 'silent',
      // Vitest sets NODE_ENV=test, which would otherwise select React's development build.
      define: { 'process.env.NODE_ENV': '"production"' },
      build: { outDir, emptyOutDir: true, sourcemap: false },
    });
    // A call to an offline user fails PEER_OFFLINE once delivery has been tried for 30 s (§4.1);
    // 2 s here. Online callees acknowledge at once, so nothing else depends on it.
    server = await startServer({ port: 0, staticDir: outDir, logger: false, timing: { invitationDeliveryMs: 2_000 } });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    alice = await openTab();
    bob = await openTab();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (outDir !== undefined) await rm(outDir, { recursive: true, force: true });
  });

  it('shows the login form with the demo App ID, and logs both users in to #lobby', async () => {
    expect(await alice.title()).toBe('rtm-kit demo');
    expect(await alice.getByRole('textbox', { name: 'App ID' }).inputValue()).toBe(DEMO_APP_ID);
    await alice.screenshot({ path: '/tmp/demo-login.png' });

    await logIn(alice, 'alice');
    await logIn(bob, 'bob');
    expect(await shown(alice.getByRole('banner'))).toContain('Logged in as alice');
    expect(await shown(alice.getByRole('heading', { name: '# lobby' }))).toBe('# lobby');

    // Each sees the other in the member list, online, with a count of 2.
    const aliceMembers = alice.getByRole('list', { name: 'Members of #lobby' });
    const bobRow = aliceMembers.getByRole('listitem').filter({ hasText: 'bob' });
    await expect.poll(() => bobRow.textContent(), { timeout: WAIT_MS }).toContain('online');
    expect(await shown(bobRow.getByRole('button', { name: 'Call bob' }))).toBe('Call');
    // The count is the server's MemberCountUpdated, sent at most once a second.
    await expect.poll(() => alice.getByRole('heading', { name: /^Members/ }).textContent(), { timeout: WAIT_MS }).toBe('Members 2');
    const bobMembers = bob.getByRole('list', { name: 'Members of #lobby' });
    await expect.poll(() => bobMembers.getByRole('listitem').allTextContents(), { timeout: WAIT_MS }).toEqual([
      'onlinebob (you)',
      'onlinealiceCall',
    ]);
  });

  it('sends a channel message that the other member sees', async () => {
    await alice.getByRole('textbox', { name: 'Message #lobby' }).fill('hello from alice');
    await alice.getByRole('button', { name: 'Send' }).click();

    const own = alice.getByRole('log', { name: 'Messages in #lobby' }).getByRole('listitem').filter({ hasText: 'hello from alice' });
    expect(await shown(own)).toContain('You');
    const received = bob.getByRole('log', { name: 'Messages in #lobby' }).getByRole('listitem').filter({ hasText: 'hello from alice' });
    expect(await shown(received)).toMatch(/^alice/);

    await bob.getByRole('textbox', { name: 'Message #lobby' }).fill('hi alice, bob here');
    await bob.getByRole('textbox', { name: 'Message #lobby' }).press('Enter');
    await shown(alice.getByRole('log', { name: 'Messages in #lobby' }).getByRole('listitem').filter({ hasText: 'hi alice, bob here' }));
  });

  it('sets the channel topic in channel attributes, and the other member is notified', async () => {
    await alice.getByRole('button', { name: 'Edit topic' }).click();
    await alice.getByRole('textbox', { name: 'New topic' }).fill('Friday planning');
    await alice.getByRole('button', { name: 'Save topic' }).click();
    await expect.poll(() => alice.getByRole('main').textContent(), { timeout: WAIT_MS }).toContain('Topic: Friday planning');
    await expect.poll(() => bob.getByRole('main').textContent(), { timeout: WAIT_MS }).toContain('Topic: Friday planning');
    expect(await shown(bob.getByRole('status').filter({ hasText: 'Topic set by' }))).toMatch(/^Topic set by alice at /);
    await alice.screenshot({ path: '/tmp/demo-alice-channel.png' });
    await bob.screenshot({ path: '/tmp/demo-bob-channel.png' });
  });

  it('opens a one-to-one conversation from the member list', async () => {
    await alice.getByRole('button', { name: 'Chat with bob' }).click();
    expect(await shown(alice.getByRole('heading', { name: 'bob', exact: true }))).toBe('bob');
    await alice.getByRole('textbox', { name: 'Message bob' }).fill('a private word');
    await alice.getByRole('button', { name: 'Send' }).click();
    await shown(alice.getByRole('log', { name: 'Conversation with bob' }).getByRole('listitem').filter({ hasText: 'a private word' }));

    // Bob has not opened it: the conversation appears in his list, unread.
    const conversations = bob.getByRole('navigation', { name: 'Conversations' });
    const fromAlice = conversations.getByRole('button', { name: /alice/ });
    expect(await shown(fromAlice)).toContain('1');
    expect(await fromAlice.getAttribute('aria-current')).toBeNull();
    await fromAlice.click();
    const received = bob.getByRole('log', { name: 'Conversation with alice' }).getByRole('listitem').filter({ hasText: 'a private word' });
    expect(await shown(received)).toMatch(/^alice/);
    expect(await fromAlice.getAttribute('aria-current')).toBe('page');
    expect(await fromAlice.textContent()).not.toContain('unread');
    await bob.screenshot({ path: '/tmp/demo-bob-peer.png' });
  });

  it('calls: alice calls bob, it rings on both sides, and bob accepts', async () => {
    await alice.getByRole('button', { name: 'Call bob' }).click();

    const incoming = bob.getByRole('dialog', { name: 'Call from alice' });
    expect(await shown(incoming.getByRole('status'))).toBe('alice is calling you.');
    const outgoing = alice.getByRole('dialog', { name: 'Call to bob' });
    await expect.poll(() => outgoing.getByRole('status').textContent(), { timeout: WAIT_MS }).toBe('Ringing bob…');
    expect(await outgoing.getAttribute('data-state')).toBe('ringing');
    expect(await alice.getByRole('button', { name: 'Call bob' }).isDisabled()).toBe(true);
    await alice.screenshot({ path: '/tmp/demo-alice-calling.png' });
    await bob.screenshot({ path: '/tmp/demo-bob-ringing.png' });

    await incoming.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => outgoing.getByRole('status').textContent(), { timeout: WAIT_MS }).toBe('bob accepted the call.');
    expect(await outgoing.getAttribute('data-state')).toBe('accepted');
    await expect.poll(() => incoming.getByRole('status').textContent(), { timeout: WAIT_MS }).toBe('You accepted the call from alice.');
    await alice.screenshot({ path: '/tmp/demo-alice-accepted.png' });
    await bob.screenshot({ path: '/tmp/demo-bob-accepted.png' });

    await outgoing.getByRole('button', { name: 'Close' }).click();
    await incoming.getByRole('button', { name: 'Close' }).click();
    await outgoing.waitFor({ state: 'detached', timeout: WAIT_MS });
    await incoming.waitFor({ state: 'detached', timeout: WAIT_MS });
  });

  it('logs out to the login form; a call to the user who left fails with the reason', async () => {
    await bob.getByRole('button', { name: 'Log out' }).click();
    await shown(bob.getByRole('button', { name: 'Log in' }));
    await expect.poll(async () => (await server.core.sessions.get(DEMO_APP_ID, 'bob'))?.connected ?? false, { timeout: WAIT_MS }).toBe(false);

    // Alice still has the conversation with bob open; its header shows him offline.
    await expect.poll(() => alice.getByRole('main').textContent(), { timeout: WAIT_MS }).toContain('offline');
    await alice.getByRole('button', { name: 'Call bob' }).click();
    const outgoing = alice.getByRole('dialog', { name: 'Call to bob' });
    await expect.poll(() => outgoing.getByRole('status').textContent(), { timeout: WAIT_MS }).toBe('The call failed: bob is offline.');
    expect(await outgoing.getAttribute('data-state')).toBe('failed');
    await alice.screenshot({ path: '/tmp/demo-alice-call-failed.png' });
  });

  it('raised no errors in either page', () => {
    expect(pageErrors).toEqual([]);
  });
});
