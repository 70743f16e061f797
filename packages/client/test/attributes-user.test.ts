import { afterEach, describe, expect, it } from 'vitest';
import AgoraRTM, { RtmErrorCode, type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer, type ServerOptions } from '@rtm-kit/server';
import { createManualClock } from '@rtm-kit/server/testing';
import { APP_ID, tappedTransport, waitFor } from './helpers.js';

const { AttributeOperationError } = RtmErrorCode;
const INVALID = AttributeOperationError.ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT;
const OVERFLOW = AttributeOperationError.ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW;
const quiet = { logFilter: AgoraRTM.LOG_FILTER_OFF };

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

function client(extra: Parameters<typeof AgoraRTM.createInstance>[1] = {}): RtmClient {
  const c = AgoraRTM.createInstance(APP_ID, { serverUrl: server!.url, ...quiet, ...extra });
  clients.push(c);
  return c;
}

async function user(uid: string, extra: Parameters<typeof AgoraRTM.createInstance>[1] = {}): Promise<RtmClient> {
  const c = client(extra);
  await c.login({ uid });
  return c;
}

const fill = (bytes: number) => 'v'.repeat(bytes);

describe('user attributes', () => {
  it('sets, adds, updates, deletes and clears your own attributes; anyone reads them', async () => {
    await start();
    const alice = await user('alice');
    const bob = await user('bob');
    await alice.setLocalUserAttributes({ name: 'Alice', mood: 'calm' });
    await expect(bob.getUserAttributes('alice')).resolves.toEqual({ name: 'Alice', mood: 'calm' });
    await alice.addOrUpdateLocalUserAttributes({ mood: 'busy', city: 'Oslo' });
    await expect(bob.getUserAttributes('alice')).resolves.toEqual({ name: 'Alice', mood: 'busy', city: 'Oslo' });
    await expect(bob.getUserAttributesByKeys('alice', ['city', 'missing', 'city'])).resolves.toEqual({ city: 'Oslo' });
    await alice.deleteLocalUserAttributesByKeys(['mood', 'missing']);
    await expect(alice.getUserAttributes('alice')).resolves.toEqual({ name: 'Alice', city: 'Oslo' });
    await alice.setLocalUserAttributes({ only: 'this' });
    await expect(bob.getUserAttributes('alice')).resolves.toEqual({ only: 'this' });
    await alice.clearLocalUserAttributes();
    await expect(bob.getUserAttributes('alice')).resolves.toEqual({});
  });

  it('answers {} for a user who is not logged in, and clears attributes at logout', async () => {
    await start();
    const alice = await user('alice');
    const bob = await user('bob');
    await expect(bob.getUserAttributes('nobody')).resolves.toEqual({});
    await expect(bob.getUserAttributesByKeys('nobody', ['name'])).resolves.toEqual({});
    await alice.setLocalUserAttributes({ name: 'Alice' });
    await alice.logout();
    await expect(bob.getUserAttributes('alice')).resolves.toEqual({});
    // Logging in again starts with none; the client's copy went with the logout.
    await new Promise((r) => setTimeout(r, 520));
    await alice.login({ uid: 'alice' });
    await expect(bob.getUserAttributes('alice')).resolves.toEqual({});
  });

  it('keeps attributes over a resumed session and sets them again after a new one (fake clock, §9.6)', async () => {
    const clock = createManualClock();
    await start({ clock });
    const tap = tappedTransport();
    const alice = await user('alice', { transport: tap.transport, timing: { interruptionMs: 0, reconnectDelayMs: 300, reconnectDelayMaxMs: 300 } });
    const bob = await user('bob');
    await alice.setLocalUserAttributes({ name: 'Alice', seat: '3' });
    await alice.deleteLocalUserAttributesByKeys(['seat']);

    // A short drop: the session is resumed and still has them.
    tap.drop();
    await waitFor(() => alice.connectionState === 'RECONNECTING', 2000, 'reconnecting');
    await waitFor(() => alice.connectionState === 'CONNECTED', 3000, 'resumed');
    await expect(bob.getUserAttributes('alice')).resolves.toEqual({ name: 'Alice' });

    // A drop past the grace period: the session ends and its attributes with it ...
    tap.drop();
    await waitFor(async () => (await server!.core.sessions.get(APP_ID, 'alice'))?.connected === false, 2000, 'drop');
    await clock.advance(30_000);
    await expect(bob.getUserAttributes('alice')).resolves.toEqual({});
    // ... and the client sets its copy again in the new session before it reports CONNECTED.
    await waitFor(() => alice.connectionState === 'CONNECTED', 3000, 'new session');
    await expect(bob.getUserAttributes('alice')).resolves.toEqual({ name: 'Alice' });
  });

  it('refuses invalid keys and values with INVALID_ARGUMENT (3)', async () => {
    await start();
    const alice = await user('alice');
    const bad: unknown[] = [
      {},
      null,
      'name=Alice',
      ['a'],
      { '': 'x' },
      { 'has space': 'x' },
      { 'tab\t': 'x' },
      { 'zero\u200bwidth': 'x' },
      { ['k'.repeat(33)]: 'x' },
      { ['é'.repeat(17)]: 'x' }, // 34 bytes
      { constructor: 'x' },
      { prototype: 'x' },
      JSON.parse('{"__proto__":"x"}'),
      { name: '' },
      { name: 5 },
      { name: null },
    ];
    for (const attributes of bad) {
      await expect(alice.setLocalUserAttributes(attributes as Record<string, string>), JSON.stringify(attributes)).rejects.toMatchObject({ code: INVALID });
      await expect(alice.addOrUpdateLocalUserAttributes(attributes as Record<string, string>)).rejects.toMatchObject({ code: INVALID });
    }
    // Keys of 32 bytes of visible characters in any script are fine.
    await alice.setLocalUserAttributes({ ['k'.repeat(32)]: 'x', ['é'.repeat(16)]: 'y', 名字: '爱丽丝' });
    for (const keys of [[], ['a b'], 'name', [5], Array.from({ length: 33 }, (_, i) => `k${i}`)]) {
      await expect(alice.deleteLocalUserAttributesByKeys(keys as string[])).rejects.toMatchObject({ code: INVALID });
      await expect(alice.getUserAttributesByKeys('alice', keys as string[])).rejects.toMatchObject({ code: INVALID });
    }
    await expect(alice.getUserAttributes('a/b')).rejects.toMatchObject({ code: INVALID });
  });

  it('refuses what is too much with SIZE_OVERFLOW (4): 32 per call, 8 KB a value, 16 KB in all, merged on add-or-update', async () => {
    await start();
    const alice = await user('alice');
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    await expect(alice.setLocalUserAttributes(many(33))).rejects.toMatchObject({ code: OVERFLOW, name: 'RtmLimitExceededError' });
    await alice.setLocalUserAttributes(many(32));
    await expect(alice.setLocalUserAttributes({ big: fill(8193) })).rejects.toMatchObject({ code: OVERFLOW });
    await expect(alice.setLocalUserAttributes({ a: fill(8192), b: fill(8192) })).rejects.toMatchObject({ code: OVERFLOW });
    await alice.setLocalUserAttributes({ a: fill(8192), b: fill(8190) }); // 16 384 bytes with the keys
    await alice.setLocalUserAttributes({ a: fill(8192) });
    await expect(alice.addOrUpdateLocalUserAttributes({ b: fill(8191) })).rejects.toMatchObject({ code: OVERFLOW });
    await alice.addOrUpdateLocalUserAttributes({ a: fill(10), b: fill(8191) });
    await expect(alice.getUserAttributes('alice')).resolves.toEqual({ a: fill(10), b: fill(8191) });
  });

  it('checks sizes against the server\'s limits, learned at login, when they are raised', async () => {
    await start({ limits: { attributeValueMaxBytes: 16_384, userAttributesMaxBytes: 32_768, attributesPerCall: 40 } });
    const alice = await user('alice');
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    await alice.setLocalUserAttributes({ big: fill(12_000) });
    await alice.addOrUpdateLocalUserAttributes({ more: fill(12_000) }); // 24 KB merged
    await expect(alice.getUserAttributes('alice')).resolves.toEqual({ big: fill(12_000), more: fill(12_000) });
    await alice.setLocalUserAttributes(many(40));
    await expect(alice.setLocalUserAttributes({ big: fill(16_385) })).rejects.toMatchObject({ code: OVERFLOW });
  });

  it('limits writes to 10 and reads to 40 per 5 s (TOO_OFTEN, 5), and needs a login (102)', async () => {
    await start();
    const offline = client();
    await expect(offline.setLocalUserAttributes({ a: 'b' })).rejects.toMatchObject({ code: AttributeOperationError.ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN });
    await expect(offline.getUserAttributes('bob')).rejects.toMatchObject({ code: AttributeOperationError.ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN });
    const alice = await user('alice');
    for (let i = 0; i < 5; i++) await alice.addOrUpdateLocalUserAttributes({ n: String(i) });
    for (let i = 0; i < 5; i++) await alice.deleteLocalUserAttributesByKeys(['x']);
    await expect(alice.clearLocalUserAttributes()).rejects.toMatchObject({ code: AttributeOperationError.ATTRIBUTE_OPERATION_ERR_TOO_OFTEN });
    await expect(alice.getUserAttributes('alice')).resolves.toEqual({ n: '4' });
    for (let i = 1; i < 40; i++) await alice.getUserAttributesByKeys('alice', ['n']);
    await expect(alice.getUserAttributes('alice')).rejects.toMatchObject({ code: AttributeOperationError.ATTRIBUTE_OPERATION_ERR_TOO_OFTEN });
  });

  it('applies concurrent writes in the order they were made', async () => {
    await start();
    const alice = await user('alice');
    await Promise.all([
      alice.setLocalUserAttributes({ a: '1' }),
      alice.addOrUpdateLocalUserAttributes({ b: '2' }),
      alice.deleteLocalUserAttributesByKeys(['a']),
      alice.addOrUpdateLocalUserAttributes({ c: '3' }),
    ]);
    await expect(alice.getUserAttributes('alice')).resolves.toEqual({ b: '2', c: '3' });
  });
});
