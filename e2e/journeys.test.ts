import { readFile } from 'node:fs/promises';
import { deflateSync, crc32 } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { chromiumArgs, chromiumPath } from './bundle.js';
import { buildDemo, DEMO_APP_ID, logIn, openTab, removeDemo, saveScreenshot, shown, WAIT_MS } from './demo-harness.js';

/** An unanswered call expires after this (60 s by default, §4.1). */
const INVITATION_EXPIRE_MS = 3_000;

/** A PNG of `width` × `height` RGB pixels, drawn by `pixel`. */
function png(width: number, height: number, pixel: (x: number, y: number) => readonly [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB, deflate, no filter, no interlace
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1); // each row starts with filter type 0
    for (let x = 0; x < width; x++) rows.set(pixel(x, y), row + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('journeys of two people using the demo app in two Chromium contexts', () => {
  let outDir: string | undefined;
  let server: RtmServer;
  let browser: Browser;
  let alice: Page;
  let bob: Page;
  const pageErrors: string[] = [];

  const isConnected = async (uid: string) => (await server.core.sessions.get(DEMO_APP_ID, uid))?.connected ?? false;

  beforeAll(async () => {
    outDir = await buildDemo();
    server = await startServer({
      port: 0,
      staticDir: outDir,
      logger: false,
      timing: {
        // A closed tab's user is UNREACHABLE for the grace period, then OFFLINE (30 s by default).
        presenceGraceMs: 2_000,
        invitationExpireMs: INVITATION_EXPIRE_MS,
        // A call to a user who is not logged in fails PEER_OFFLINE after this (30 s by default).
        invitationDeliveryMs: 2_000,
      },
    });
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    alice = await openTab(browser, server.url, pageErrors);
    bob = await openTab(browser, server.url, pageErrors);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await removeDemo(outDir);
  });

  it('channel chat both ways in #lobby', async () => {
    await saveScreenshot(alice, 'journey-login');
    await logIn(alice, 'alice');
    await logIn(bob, 'bob');

    await alice.getByRole('textbox', { name: 'Message lobby' }).fill('morning, bob');
    await alice.getByRole('button', { name: 'Send' }).click();
    const atBob = bob.getByRole('log', { name: 'Messages in lobby' }).getByRole('listitem').filter({ hasText: 'morning, bob' });
    expect(await shown(atBob)).toContain('alice');

    await bob.getByRole('textbox', { name: 'Message lobby' }).fill('morning, alice');
    await bob.getByRole('textbox', { name: 'Message lobby' }).press('Enter');
    const atAlice = alice.getByRole('log', { name: 'Messages in lobby' }).getByRole('listitem').filter({ hasText: 'morning, alice' });
    expect(await shown(atAlice)).toContain('bob');
    // Each side shows its own message as its own, and the other's under the sender's name.
    const ownAtBob = bob.getByRole('log', { name: 'Messages in lobby' }).getByRole('listitem').filter({ hasText: 'morning, alice' });
    expect(await shown(ownAtBob)).toContain('You');
    await saveScreenshot(alice, 'journey-alice-lobby');
  });

  it('an image attached by alice is shown to bob, who downloads the same bytes', async () => {
    const image = png(96, 64, (x, y) => [x * 2, y * 3, 160]);
    await alice.getByLabel('Attach file', { exact: true }).setInputFiles({ name: 'swatch.png', mimeType: 'image/png', buffer: image });

    // The receiver sees the picture from the message's thumbnail before downloading anything.
    const log = bob.getByRole('log', { name: 'Messages in lobby' });
    const message = log.getByRole('listitem').filter({ has: bob.getByRole('img', { name: 'Image swatch.png' }) });
    expect(await shown(message)).toContain('alice');
    await alice
      .getByRole('log', { name: 'Messages in lobby' })
      .getByRole('img', { name: 'Image swatch.png' })
      .waitFor({ timeout: WAIT_MS });
    await saveScreenshot(bob, 'journey-bob-image');

    const [download] = await Promise.all([
      bob.waitForEvent('download', { timeout: WAIT_MS }),
      message.getByRole('button', { name: 'Download swatch.png' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('swatch.png');
    const downloaded = await readFile(await download.path());
    expect(downloaded.equals(image)).toBe(true);
    await shown(message.getByRole('status').filter({ hasText: 'swatch.png downloaded' }));
  });

  it('a one-to-one conversation, with a message kept for bob while he is logged out', async () => {
    await alice.getByRole('list', { name: 'Members of lobby' }).getByRole('button', { name: 'Chat with bob' }).click();
    const conversation = alice.getByRole('group', { name: 'Chat with bob' });
    await alice.getByRole('textbox', { name: 'Message bob' }).fill('are you there?');
    await alice.getByRole('button', { name: 'Send' }).click();

    const fromAlice = bob.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: /alice/ });
    expect(await shown(fromAlice)).toContain('1 unread');
    await fromAlice.click();
    await shown(bob.getByRole('log', { name: 'Messages with alice' }).getByRole('listitem').filter({ hasText: 'are you there?' }));
    await bob.getByRole('textbox', { name: 'Message alice' }).fill('yes, for a minute');
    await bob.getByRole('textbox', { name: 'Message alice' }).press('Enter');
    await shown(alice.getByRole('log', { name: 'Messages with bob' }).getByRole('listitem').filter({ hasText: 'yes, for a minute' }));
    await shown(conversation.getByText('Online', { exact: true }));

    await bob.getByRole('button', { name: 'Log out' }).click();
    await shown(bob.getByRole('button', { name: 'Log in' }));
    await conversation.getByText('Offline', { exact: true }).waitFor({ timeout: WAIT_MS });

    await alice.getByRole('textbox', { name: 'Message bob' }).fill('call me when you are back');
    await alice.getByRole('button', { name: 'Send' }).click();
    const stored = alice.getByRole('log', { name: 'Messages with bob' }).getByRole('listitem').filter({ hasText: 'call me when you are back' });
    await shown(stored.getByText('Stored for later delivery'));
    await saveScreenshot(alice, 'journey-alice-stored');

    await logIn(bob, 'bob');
    expect(await shown(fromAlice)).toContain('1 unread');
    await fromAlice.click();
    const kept = bob.getByRole('log', { name: 'Messages with alice' }).getByRole('listitem').filter({ hasText: 'call me when you are back' });
    expect(await shown(kept)).toContain('Sent while you were away');
    await saveScreenshot(bob, 'journey-bob-away');
    await conversation.getByText('Online', { exact: true }).waitFor({ timeout: WAIT_MS });
  });

  it('presence: bob closes his tab, alice sees him unreachable, then offline, then online once he is back', async () => {
    const conversation = alice.getByRole('group', { name: 'Chat with bob' });
    const bobInList = alice.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: /bob/ });
    await shown(bobInList.getByRole('img', { name: 'Online' }));

    // No logout: the connection just goes away, and the session stays for the grace period.
    await bob.context().close();
    await conversation.getByText('Unreachable', { exact: true }).waitFor({ timeout: WAIT_MS });
    await conversation.getByText('Offline', { exact: true }).waitFor({ timeout: WAIT_MS });
    await shown(bobInList.getByRole('img', { name: 'Offline' }));
    expect(await isConnected('bob')).toBe(false);
    await saveScreenshot(alice, 'journey-alice-bob-offline');

    bob = await openTab(browser, server.url, pageErrors);
    await logIn(bob, 'bob');
    await conversation.getByText('Online', { exact: true }).waitFor({ timeout: WAIT_MS });
    await shown(bobInList.getByRole('img', { name: 'Online' }));
    const members = alice.getByRole('list', { name: 'Members of lobby' });
    await alice.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: /^# lobby/ }).click();
    await shown(members.getByRole('listitem').filter({ hasText: 'bob' }).getByRole('img', { name: 'Online' }));
    await alice.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: /bob/ }).click();
  });

  it('calls: one accepted, one declined, one cancelled by the caller, one expiring unanswered', async () => {
    const conversation = alice.getByRole('group', { name: 'Chat with bob' });
    const callBob = conversation.getByRole('button', { name: 'Call bob' });
    const outgoing = alice.getByRole('dialog', { name: 'Calling bob' });
    const incoming = bob.getByRole('alertdialog', { name: 'Incoming call from alice' });
    const bobNotice = bob.getByRole('status').filter({ hasText: /call from alice/i });

    // Accepted.
    await callBob.click();
    await incoming.waitFor({ timeout: WAIT_MS });
    await expect.poll(() => outgoing.getAttribute('data-state'), { timeout: WAIT_MS }).toBe('ringing');
    await saveScreenshot(bob, 'journey-bob-incoming');
    await incoming.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => outgoing.getByRole('status').textContent(), { timeout: WAIT_MS }).toBe('bob accepted the call');
    await incoming.waitFor({ state: 'detached', timeout: WAIT_MS });
    await bob.getByRole('group', { name: 'Chat with alice' }).waitFor({ timeout: WAIT_MS });
    await outgoing.getByRole('button', { name: 'Close' }).click();
    await outgoing.waitFor({ state: 'detached', timeout: WAIT_MS });

    // Declined.
    await callBob.click();
    await incoming.getByRole('button', { name: 'Decline' }).click();
    await expect.poll(() => outgoing.getByRole('status').textContent(), { timeout: WAIT_MS }).toBe('bob declined the call');
    expect(await outgoing.getAttribute('data-state')).toBe('declined');
    await incoming.waitFor({ state: 'detached', timeout: WAIT_MS });
    await saveScreenshot(alice, 'journey-alice-declined');
    await outgoing.getByRole('button', { name: 'Close' }).click();
    await outgoing.waitFor({ state: 'detached', timeout: WAIT_MS });

    // Cancelled by alice while it rings.
    await callBob.click();
    await incoming.waitFor({ timeout: WAIT_MS });
    await expect.poll(() => outgoing.getAttribute('data-state'), { timeout: WAIT_MS }).toBe('ringing');
    await outgoing.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => outgoing.getByRole('status').textContent(), { timeout: WAIT_MS }).toBe('Call cancelled');
    await incoming.waitFor({ state: 'detached', timeout: WAIT_MS });
    expect(await shown(bobNotice)).toBe('Missed call from alice');
    await outgoing.getByRole('button', { name: 'Close' }).click();
    await outgoing.waitFor({ state: 'detached', timeout: WAIT_MS });

    // Nobody answers: both sides give up when the invitation expires.
    await callBob.click();
    await incoming.waitFor({ timeout: WAIT_MS });
    const ringingSince = Date.now();
    await expect.poll(() => outgoing.getByRole('status').textContent(), { timeout: WAIT_MS }).toBe('No answer from bob: the call expired');
    expect(Date.now() - ringingSince).toBeGreaterThan(INVITATION_EXPIRE_MS / 2);
    expect(await outgoing.getAttribute('data-state')).toBe('failed');
    await incoming.waitFor({ state: 'detached', timeout: WAIT_MS });
    expect(await shown(bobNotice)).toBe('Missed call from alice');
    await saveScreenshot(alice, 'journey-alice-expired');
    await outgoing.getByRole('button', { name: 'Close' }).click();
    await outgoing.waitFor({ state: 'detached', timeout: WAIT_MS });
  });

  it('a call ringing in bob’s tab ends there when bob logs in from a second tab, which then answers the next call', async () => {
    const firstTab = bob;
    const secondTab = await openTab(browser, server.url, pageErrors);
    await secondTab.getByRole('textbox', { name: 'User ID' }).fill('bob');

    const callBob = alice.getByRole('group', { name: 'Chat with bob' }).getByRole('button', { name: 'Call bob' });
    const outgoing = alice.getByRole('dialog', { name: 'Calling bob' });
    const ringingInFirst = firstTab.getByRole('alertdialog', { name: 'Incoming call from alice' });
    await callBob.click();
    await ringingInFirst.waitFor({ timeout: WAIT_MS });
    await expect.poll(() => outgoing.getAttribute('data-state'), { timeout: WAIT_MS }).toBe('ringing');

    // The second login ends the first session (1.x: ABORTED/REMOTE_LOGIN), and its calls with it.
    await secondTab.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => secondTab.getByRole('status', { name: 'Connection' }).textContent(), { timeout: WAIT_MS }).toContain('CONNECTED/LOGIN_SUCCESS');
    await expect.poll(() => firstTab.getByRole('status', { name: 'Connection' }).textContent(), { timeout: WAIT_MS }).toContain('ABORTED/REMOTE_LOGIN');
    await ringingInFirst.waitFor({ state: 'detached', timeout: WAIT_MS });
    expect(await shown(firstTab.getByRole('status').filter({ hasText: /call from alice/i }))).toBe('Call from alice ended');
    // The ringing callee session is gone: for the caller the callee went offline.
    await expect.poll(() => outgoing.getByRole('status').textContent(), { timeout: WAIT_MS }).toBe('bob is offline');
    expect(await secondTab.getByRole('alertdialog').count()).toBe(0);
    await outgoing.getByRole('button', { name: 'Close' }).click();
    await outgoing.waitFor({ state: 'detached', timeout: WAIT_MS });

    await callBob.click();
    const ringingInSecond = secondTab.getByRole('alertdialog', { name: 'Incoming call from alice' });
    await ringingInSecond.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => outgoing.getByRole('status').textContent(), { timeout: WAIT_MS }).toBe('bob accepted the call');
    await ringingInSecond.waitFor({ state: 'detached', timeout: WAIT_MS });
    expect(await firstTab.getByRole('alertdialog').count()).toBe(0);
    await outgoing.getByRole('button', { name: 'Close' }).click();
    bob = secondTab;
  });

  it('the tab whose session a second login of the same user ended says why, and goes back to the login form', async () => {
    const firstTab = await openTab(browser, server.url, pageErrors);
    await logIn(firstTab, 'carol');
    const secondTab = await openTab(browser, server.url, pageErrors);
    await logIn(secondTab, 'carol');

    await expect.poll(() => firstTab.getByRole('status', { name: 'Connection' }).textContent(), { timeout: WAIT_MS }).toContain('ABORTED/REMOTE_LOGIN');
    expect(await shown(firstTab.getByRole('banner'))).toContain('Logged in as carol');
    expect(await shown(firstTab.getByRole('alert'))).toContain('carol logged in somewhere else (another tab?), so this session ended.');
    await saveScreenshot(firstTab, 'journey-kicked');
    // The older tab no longer offers to write or to edit the topic, and claims no member count.
    expect(await firstTab.getByRole('textbox', { name: 'Message lobby' }).isDisabled()).toBe(true);
    expect(await firstTab.getByRole('button', { name: 'Edit topic' }).count()).toBe(0);
    expect(await firstTab.getByRole('group', { name: 'Chat in lobby' }).textContent()).not.toMatch(/\d+ members?/);

    await firstTab.getByRole('button', { name: 'Back to login' }).click();
    await shown(firstTab.getByRole('button', { name: 'Log in' }));
    // Going back to the login form did not log the newer tab out.
    expect(await secondTab.getByRole('status', { name: 'Connection' }).textContent()).toContain('CONNECTED/LOGIN_SUCCESS');
    expect(await isConnected('carol')).toBe(true);
  });

  it('raised no errors in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
