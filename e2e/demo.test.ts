import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { chromiumArgs, chromiumPath } from './bundle.js';
import { buildDemo, DEMO_APP_ID, logIn, openTab, removeDemo, saveScreenshot, shown, WAIT_MS } from './demo-harness.js';

describe('the demo app that `npm start` serves, used by two people in Chromium', () => {
  let outDir: string | undefined;
  let server: RtmServer;
  let browser: Browser;
  let alice: Page;
  let bob: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    outDir = await buildDemo();
    // A call to an offline user fails PEER_OFFLINE once delivery has been tried for 30 s (§4.1);
    // 2 s here. Online callees acknowledge at once, so nothing else depends on it.
    server = await startServer({ port: 0, staticDir: outDir, logger: false, timing: { invitationDeliveryMs: 2_000 } });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    alice = await openTab(browser, server.url, pageErrors);
    bob = await openTab(browser, server.url, pageErrors);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await removeDemo(outDir);
  });

  it('shows the login form with the demo App ID, and logs both users in to #lobby', async () => {
    expect(await alice.title()).toBe('rtm-kit demo');
    expect(await alice.getByRole('textbox', { name: 'App ID' }).inputValue()).toBe(DEMO_APP_ID);
    await saveScreenshot(alice, 'demo-login');

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
    await saveScreenshot(alice, 'demo-alice-channel');
    await saveScreenshot(bob, 'demo-bob-channel');
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
    await saveScreenshot(bob, 'demo-bob-peer');
  });

  it('calls: alice calls bob, it rings on both sides, and bob accepts', async () => {
    await alice.getByRole('button', { name: 'Call bob' }).click();

    const incoming = bob.getByRole('alertdialog', { name: 'Incoming call from alice' });
    await incoming.waitFor({ timeout: WAIT_MS });
    const outgoing = alice.getByRole('dialog', { name: 'Calling bob' });
    await expect.poll(() => outgoing.getAttribute('data-state'), { timeout: WAIT_MS }).toBe('ringing');
    expect(await outgoing.getByRole('status').textContent()).toBe('Ringing…');
    expect(await alice.getByRole('button', { name: 'Call bob' }).isDisabled()).toBe(true);
    await saveScreenshot(alice, 'demo-alice-calling');
    await saveScreenshot(bob, 'demo-bob-ringing');

    await incoming.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => outgoing.getByRole('status').textContent(), { timeout: WAIT_MS }).toBe('bob accepted the call');
    expect(await outgoing.getAttribute('data-state')).toBe('accepted');
    // The callee's dialog has done its job; the demo opens the conversation with the caller.
    await incoming.waitFor({ state: 'detached', timeout: WAIT_MS });
    await bob.getByRole('group', { name: 'Chat with alice' }).waitFor({ timeout: WAIT_MS });
    await saveScreenshot(alice, 'demo-alice-accepted');

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
    await saveScreenshot(alice, 'demo-alice-call-failed');
  });

  it('raised no errors in either page', () => {
    expect(pageErrors).toEqual([]);
  });
});
