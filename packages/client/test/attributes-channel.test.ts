import { afterEach, describe, expect, it } from 'vitest';
import AgoraRTM, { RtmErrorCode, type ChannelAttributes, type RtmChannel, type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer, type ServerOptions } from '@rtm-kit/server';
import { createManualClock } from '@rtm-kit/server/testing';
import { APP_ID, waitFor } from './helpers.js';

const { AttributeOperationError } = RtmErrorCode;
const INVALID = AttributeOperationError.ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
const OVERFLOW = AttributeOperationError.ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW;
const quiet = { logFilter: AgoraRTM.LOG_FILTER_OFF };
const notify = { enableNotificationToChannelMembers: true };

let server: RtmServer | null = null;
const clients: RtmClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
  await server?.close();
  server = null;
});

async function start(options: ServerOptions = {}): Promise<RtmServer> {
  server = await startServer({ port: 0, logger: false, ...options });
  return server;
}

async function user(uid: string): Promise<RtmClient> {
  const c = AgoraRTM.createInstance(APP_ID, { serverUrl: server!.url, ...quiet });
  clients.push(c);
  await c.login({ uid });
  return c;
}

async function joined(c: RtmClient, channelId: string): Promise<{ channel: RtmChannel; updates: ChannelAttributes[] }> {
  const channel = c.createChannel(channelId);
  const updates: ChannelAttributes[] = [];
  channel.on('AttributesUpdated', (attributes) => updates.push(attributes));
  await channel.join();
  return { channel, updates };
}

/** Just the values, for comparing maps. */
function values(attributes: ChannelAttributes): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, v.value]));
}

describe('channel attributes', () => {
  it('are read and written without joining; each value carries who wrote it last and when', async () => {
    await start();
    const alice = await user('alice');
    const bob = await user('bob');
    const t0 = Date.now();
    await alice.setChannelAttributes('room', { notice: 'Welcome', seat1: 'alice' });
    await bob.addOrUpdateChannelAttributes('room', { seat2: 'bob' });
    const t1 = Date.now();
    const all = await bob.getChannelAttributes('room');
    expect(values(all)).toEqual({ notice: 'Welcome', seat1: 'alice', seat2: 'bob' });
    expect(all['notice']).toEqual({ value: 'Welcome', lastUpdateUserId: 'alice', lastUpdateTs: expect.any(Number) });
    expect(all['seat2']?.lastUpdateUserId).toBe('bob');
    expect(all['notice']!.lastUpdateTs).toBeGreaterThanOrEqual(t0 - 5);
    expect(all['seat2']!.lastUpdateTs).toBeLessThanOrEqual(t1 + 5);
    await expect(alice.getChannelAttributesByKeys('room', ['seat2', 'nope'])).resolves.toEqual({ seat2: all['seat2'] });

    await bob.deleteChannelAttributesByKeys('room', ['seat1', 'nope']);
    expect(values(await alice.getChannelAttributes('room'))).toEqual({ notice: 'Welcome', seat2: 'bob' });
    await alice.setChannelAttributes('room', { notice: 'New' });
    expect(values(await bob.getChannelAttributes('room'))).toEqual({ notice: 'New' });
    await bob.clearChannelAttributes('room');
    await expect(alice.getChannelAttributes('room')).resolves.toEqual({});
    await expect(alice.getChannelAttributes('never-used')).resolves.toEqual({});
  });

  it('notifies joined members with the whole map only when the writer asks, for that call only', async () => {
    await start();
    const alice = await user('alice');
    const bob = await user('bob');
    const carol = await user('carol');
    const atBob = await joined(bob, 'room');
    const atAlice = await joined(alice, 'room');
    const carolElsewhere = await joined(carol, 'other');

    await alice.setChannelAttributes('room', { a: '1' });
    await alice.addOrUpdateChannelAttributes('room', { b: '2' }, notify);
    await waitFor(() => atBob.updates.length === 1, 2000, 'notification');
    expect(values(atBob.updates[0]!)).toEqual({ a: '1', b: '2' });
    expect(atBob.updates[0]!['b']).toEqual({ value: '2', lastUpdateUserId: 'alice', lastUpdateTs: expect.any(Number) });
    // The writer is a member too and hears it (§2.5: the runtime does not filter it).
    await waitFor(() => atAlice.updates.length === 1, 2000, 'writer notified');

    await carol.deleteChannelAttributesByKeys('room', ['a'], { enableNotificationToChannelMembers: false });
    await carol.clearChannelAttributes('room', notify); // carol is not a member and still may notify
    await waitFor(() => atBob.updates.length === 2, 2000, 'clear notification');
    expect(atBob.updates[1]).toEqual({});
    await new Promise((r) => setTimeout(r, 100));
    expect(atBob.updates).toHaveLength(2);
    expect(carolElsewhere.updates).toEqual([]);
  });

  it('holds at most 32 attributes and 32 KB per channel (SIZE_OVERFLOW), checked on the whole channel', async () => {
    await start();
    const alice = await user('alice');
    const bob = await user('bob');
    const many = (n: number, prefix: string) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 'v']));
    await alice.setChannelAttributes('room', many(20, 'a'));
    await expect(bob.addOrUpdateChannelAttributes('room', many(13, 'b'))).rejects.toMatchObject({ code: OVERFLOW });
    await bob.addOrUpdateChannelAttributes('room', many(12, 'b'));
    expect(Object.keys(await alice.getChannelAttributes('room'))).toHaveLength(32);
    await expect(alice.setChannelAttributes('room', many(33, 'c'))).rejects.toMatchObject({ code: OVERFLOW });

    const big = 'x'.repeat(8190);
    await alice.setChannelAttributes('room', { k1: big, k2: big, k3: big, k4: big }); // 32 768 bytes with keys
    await expect(bob.addOrUpdateChannelAttributes('room', { k5: 'v' })).rejects.toMatchObject({ code: OVERFLOW });
    await expect(alice.setChannelAttributes('room', { k1: big, k2: big, k3: big, k4: big, k5: 'v' })).rejects.toMatchObject({ code: OVERFLOW });
    await bob.addOrUpdateChannelAttributes('room', { k4: 'small' });
    await bob.addOrUpdateChannelAttributes('room', { k5: 'v' });
    expect(Object.keys(await alice.getChannelAttributes('room')).sort()).toEqual(['k1', 'k2', 'k3', 'k4', 'k5']);
  });

  it('checks sizes against the server\'s limits, learned at login, when they are raised', async () => {
    await start({ limits: { attributeValueMaxBytes: 16_384, channelAttributesMaxBytes: 65_536, idMaxLength: 80 } });
    const alice = await user('alice');
    const room = 'r'.repeat(80);
    await alice.setChannelAttributes(room, { big: 'x'.repeat(12_000), more: 'y'.repeat(12_000) });
    expect(Object.keys(await alice.getChannelAttributes(room)).sort()).toEqual(['big', 'more']);
    await expect(alice.setChannelAttributes(room, { big: 'x'.repeat(16_385) })).rejects.toMatchObject({ code: OVERFLOW });
  });

  it('refuses invalid channel IDs, keys, values and options with INVALID_ARGUMENT (3)', async () => {
    await start();
    const alice = await user('alice');
    await expect(alice.setChannelAttributes('a/b', { k: 'v' })).rejects.toMatchObject({ code: INVALID });
    await expect(alice.getChannelAttributes('')).rejects.toMatchObject({ code: INVALID });
    await expect(alice.setChannelAttributes('room', {})).rejects.toMatchObject({ code: INVALID });
    await expect(alice.setChannelAttributes('room', { '': 'v' })).rejects.toMatchObject({ code: INVALID });
    await expect(alice.setChannelAttributes('room', { k: '' })).rejects.toMatchObject({ code: INVALID });
    await expect(alice.setChannelAttributes('room', { prototype: 'v' })).rejects.toMatchObject({ code: INVALID });
    await expect(alice.setChannelAttributes('room', { big: 'v'.repeat(8193) })).rejects.toMatchObject({ code: OVERFLOW });
    await expect(alice.deleteChannelAttributesByKeys('room', [])).rejects.toMatchObject({ code: INVALID });
    await expect(alice.getChannelAttributesByKeys('room', ['ok', 'not ok'])).rejects.toMatchObject({ code: INVALID });
    await expect(alice.clearChannelAttributes('room', { enableNotificationToChannelMembers: 'yes' } as never)).rejects.toMatchObject({ code: INVALID });
    await expect(alice.clearChannelAttributes('room', 'notify' as never)).rejects.toMatchObject({ code: INVALID });
  });

  it('limits writes and reads to 10 per 5 s each (TOO_OFTEN, 5), and needs a login (102)', async () => {
    await start();
    const offline = AgoraRTM.createInstance(APP_ID, { serverUrl: server!.url, ...quiet });
    await expect(offline.getChannelAttributes('room')).rejects.toMatchObject({ code: AttributeOperationError.ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN });
    const alice = await user('alice');
    for (let i = 0; i < 10; i++) await alice.addOrUpdateChannelAttributes(`room-${i}`, { n: String(i) });
    await expect(alice.clearChannelAttributes('room-0')).rejects.toMatchObject({ code: AttributeOperationError.ATTRIBUTE_OPERATION_ERR_TOO_OFTEN });
    for (let i = 0; i < 10; i++) await alice.getChannelAttributes(`room-${i}`);
    await expect(alice.getChannelAttributesByKeys('room-0', ['n'])).rejects.toMatchObject({ code: AttributeOperationError.ATTRIBUTE_OPERATION_ERR_TOO_OFTEN });
  });

  it('never loses an update or tears the map when writers race, and members end on the final map', async () => {
    await start({ limits: { channelAttributeWriteRate: { count: 1000, windowMs: 5_000 } } });
    const writers = await Promise.all(['w0', 'w1', 'w2', 'w3'].map((uid) => user(uid)));
    const reader = await user('reader');
    const { updates } = await joined(reader, 'board');
    await Promise.all(
      writers.map(async (w, i) => {
        for (let n = 0; n < 6; n++) await w.addOrUpdateChannelAttributes('board', { [`${i}-${n}`]: `v${n}`, shared: `w${i}-${n}` }, notify);
      }),
    );
    const final = await reader.getChannelAttributes('board');
    expect(Object.keys(final)).toHaveLength(4 * 6 + 1);
    for (let i = 0; i < 4; i++) for (let n = 0; n < 6; n++) expect(final[`${i}-${n}`]?.value).toBe(`v${n}`);
    // `shared` belongs to whichever write came last, with that writer's name on it.
    const shared = final['shared']!;
    expect(shared.value.startsWith(shared.lastUpdateUserId)).toBe(true);
    await waitFor(() => updates.length > 0 && JSON.stringify(updates.at(-1)) === JSON.stringify(final), 3000, 'final notification');
  });
});

describe('channel attributes of empty channels (fake clock)', () => {
  it('clears the attributes of a channel nobody joined after 2 minutes', async () => {
    const clock = createManualClock();
    await start({ clock });
    const alice = await user('alice');
    await alice.setChannelAttributes('lonely', { k: 'v' });
    await clock.advance(119_999);
    expect(values(await alice.getChannelAttributes('lonely'))).toEqual({ k: 'v' });
    await clock.advance(1);
    await expect(alice.getChannelAttributes('lonely')).resolves.toEqual({});
  });

  it('keeps them while the channel has members, and clears them 2 minutes after the last one left', async () => {
    const clock = createManualClock();
    await start({ clock });
    const alice = await user('alice');
    const bob = await user('bob');
    const { channel } = await joined(bob, 'room');
    await alice.setChannelAttributes('room', { k: 'v' });
    await clock.advance(10 * 60_000);
    expect(values(await alice.getChannelAttributes('room'))).toEqual({ k: 'v' });
    await channel.leave();
    await waitFor(async () => (await server!.core.channels.count(APP_ID, 'room')) === 0, 2000, 'empty');
    await clock.advance(60_000);
    // Someone comes and goes within the 2 minutes: the count starts again.
    const again = await joined(alice, 'room');
    await again.channel.leave();
    await waitFor(async () => (await server!.core.channels.count(APP_ID, 'room')) === 0, 2000, 'empty again');
    await clock.advance(119_000);
    expect(values(await alice.getChannelAttributes('room'))).toEqual({ k: 'v' });
    await clock.advance(1_000);
    await expect(alice.getChannelAttributes('room')).resolves.toEqual({});
  });

  it('uses the emptyChannelAttributesMs of startServer({ timing }) in real time', async () => {
    // Polling reads more often than 10 times in 5 s.
    await start({ timing: { emptyChannelAttributesMs: 300 }, limits: { channelAttributeReadRate: { count: 1000, windowMs: 5_000 } } });
    const alice = await user('alice');
    await alice.setChannelAttributes('brief', { k: 'v' });
    const t0 = Date.now();
    await waitFor(async () => Object.keys(await alice.getChannelAttributes('brief')).length === 0, 3000, 'cleared');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
  });
});
