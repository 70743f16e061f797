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
    const lobby = alice.getByRole('group', { name: 'Chat in lobby' });
    expect(await shown(lobby.getByRole('heading', { name: '#lobby' }))).toBe('#lobby');

    // Each sees the other in the member list, online, with a count of 2.
    const aliceMembers = alice.getByRole('list', { name: 'Members of lobby' });
    const bobRow = aliceMembers.getByRole('listitem').filter({ hasText: 'bob' });
    await bobRow.getByRole('img', { name: 'Online' }).waitFor({ timeout: WAIT_MS });
    await shown(bobRow.getByRole('button', { name: 'Call bob' }));
    await shown(bobRow.getByRole('button', { name: 'Chat with bob' }));
    // The count is the server's MemberCountUpdated, sent at most once a second.
    await expect.poll(() => lobby.textContent(), { timeout: WAIT_MS }).toContain('2 members');
    const bobMembers = bob.getByRole('list', { name: 'Members of lobby' });
    await expect.poll(() => bobMembers.getByRole('listitem').allTextContents(), { timeout: WAIT_MS }).toEqual([
      expect.stringContaining('bob (you)'),
      expect.stringContaining('alice'),
    ]);
  });

  it('sends a channel message that the other member sees', async () => {
    await alice.getByRole('textbox', { name: 'Message lobby' }).fill('hello from alice');
    await alice.getByRole('button', { name: 'Send' }).click();

    const own = alice.getByRole('log', { name: 'Messages in lobby' }).getByRole('listitem').filter({ hasText: 'hello from alice' });
    expect(await shown(own)).toContain('You');
    const received = bob.getByRole('log', { name: 'Messages in lobby' }).getByRole('listitem').filter({ hasText: 'hello from alice' });
    expect(await shown(received)).toContain('alice');

    await bob.getByRole('textbox', { name: 'Message lobby' }).fill('hi alice, bob here');
    await bob.getByRole('textbox', { name: 'Message lobby' }).press('Enter');
    await shown(alice.getByRole('log', { name: 'Messages in lobby' }).getByRole('listitem').filter({ hasText: 'hi alice, bob here' }));
  });

  it('sets the channel topic in channel attributes, and the other member is notified', async () => {
    await alice.getByRole('button', { name: 'Edit topic' }).click();
    await alice.getByRole('textbox', { name: 'New topic' }).fill('Friday planning');
    await alice.getByRole('button', { name: 'Save topic' }).click();
    const aliceHeader = alice.getByRole('group', { name: 'Chat in lobby' });
    const bobHeader = bob.getByRole('group', { name: 'Chat in lobby' });
    await expect.poll(() => aliceHeader.textContent(), { timeout: WAIT_MS }).toContain('Friday planning');
    await expect.poll(() => bobHeader.textContent(), { timeout: WAIT_MS }).toContain('Friday planning');
    // Who set it and when: the topic's title (tooltip) for the other member.
    await bobHeader.getByTitle(/^Set by alice at /).waitFor({ timeout: WAIT_MS });
    await alice.screenshot({ path: '/tmp/demo-alice-channel.png' });
    await bob.screenshot({ path: '/tmp/demo-bob-channel.png' });
  });

  it('opens a one-to-one conversation from the member list', async () => {
    await alice.getByRole('button', { name: 'Chat with bob' }).click();
    const conversation = alice.getByRole('group', { name: 'Chat with bob' });
    expect(await shown(conversation.getByRole('heading', { name: 'bob', exact: true }))).toBe('bob');
    await alice.getByRole('textbox', { name: 'Message bob' }).fill('a private word');
    await alice.getByRole('button', { name: 'Send' }).click();
    await shown(alice.getByRole('log', { name: 'Messages with bob' }).getByRole('listitem').filter({ hasText: 'a private word' }));

    // Bob has not opened it: the conversation appears in his list, unread.
    const conversations = bob.getByRole('navigation', { name: 'Conversations' });
    const fromAlice = conversations.getByRole('button', { name: /alice/ });
    expect(await shown(fromAlice)).toContain('1');
    expect(await fromAlice.getAttribute('aria-current')).toBeNull();
    await fromAlice.click();
    const received = bob.getByRole('log', { name: 'Messages with alice' }).getByRole('listitem').filter({ hasText: 'a private word' });
    expect(await shown(received)).toContain('alice');
    expect(await fromAlice.getAttribute('aria-current')).toBe('page');
    expect(await fromAlice.textContent()).not.toContain('unread');
    await bob.screenshot({ path: '/tmp/demo-bob-peer.png' });
  });

  it('calls: alice calls bob, it rings on both sides, and bob accepts', async () => {
    await alice.getByRole('button', { name: 'Call bob' }).click();

    const incoming = bob.getByRole('alertdialog', { name: 'Incoming call from alice' });
    await incoming.waitFor({ timeout: WAIT_MS });
    const outgoing = alice.getByRole('dialog', { name: 'Calling bob' });
    await expect.poll(() => outgoing.getAttribute('data-state'), { timeout: WAIT_MS }).toBe('ringing');
    expect(await outgoing.getByRole('status').textContent()).toBe('Ringing…');
    expect(await alice.getByRole('button', { name: 'Call bob' }).isDisabled()).toBe(true);
    await alice.screenshot({ path: '/tmp/demo-alice-calling.png' });
    await bob.screenshot({ path: '/tmp/demo-bob-ringing.png' });

    await incoming.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => outgoing.getByRole('status').textContent(), { timeout: WAIT_MS }).toBe('bob accepted the call');
    expect(await outgoing.getAttribute('data-state')).toBe('accepted');
    // The callee's dialog has done its job; the demo opens the conversation with the caller.
    await incoming.waitFor({ state: 'detached', timeout: WAIT_MS });
    await bob.getByRole('group', { name: 'Chat with alice' }).waitFor({ timeout: WAIT_MS });
    await alice.screenshot({ path: '/tmp/demo-alice-accepted.png' });

    await outgoing.getByRole('button', { name: 'Close' }).click();
    await outgoing.waitFor({ state: 'detached', timeout: WAIT_MS });
  });

  it('logs out to the login form; a call to the user who left fails with the reason', async () => {
    await bob.getByRole('button', { name: 'Log out' }).click();
    await shown(bob.getByRole('button', { name: 'Log in' }));
    await expect.poll(async () => (await server.core.sessions.get(DEMO_APP_ID, 'bob'))?.connected ?? false, { timeout: WAIT_MS }).toBe(false);

    // Alice still has the conversation with bob open; its header shows him offline.
    const conversation = alice.getByRole('group', { name: 'Chat with bob' });
    await expect.poll(() => conversation.textContent(), { timeout: WAIT_MS }).toContain('Offline');
    await alice.getByRole('button', { name: 'Call bob' }).click();
    const outgoing = alice.getByRole('dialog', { name: 'Calling bob' });
    await expect.poll(() => outgoing.getByRole('status').textContent(), { timeout: WAIT_MS }).toBe('bob is offline');
    expect(await outgoing.getAttribute('data-state')).toBe('failed');
    await alice.screenshot({ path: '/tmp/demo-alice-call-failed.png' });
  });

  it('raised no errors in either page', () => {
    expect(pageErrors).toEqual([]);
  });
});
