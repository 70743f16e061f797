import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import AgoraRTM, { type RtmClient, type RtmMessage } from '@rtm-kit/client';
import { createAdminClient, startServer, type RtmServer } from '@rtm-kit/server';
import { ADMIN_ROUTES } from '../../src/ops/admin/admin-api.js';

const APP_ID = '0123456789abcdef0123456789abcdef';
const TOKEN = 'admin-token-for-tests-0123456789';

async function waitFor(check: () => boolean, ms = 5_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  for (let i = 0; i < 10_000; i++) {
    if (check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const textOf = (m: RtmMessage): string => ('text' in m && typeof m.text === 'string' ? m.text : String(m.messageType));

describe('admin API through a real server and real 1.x clients', () => {
  let server: RtmServer;
  const clients: RtmClient[] = [];
  const loggedIn = async (uid: string) => {
    const client = AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, logFilter: AgoraRTM.LOG_FILTER_OFF });
    clients.push(client);
    await client.login({ uid });
    return client;
  };
  const call = (method: string, path: string, body?: unknown, token: string | null = TOKEN) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const app = `/admin/v1/apps/${APP_ID}`;

  beforeEach(async () => {
    server = await startServer({ port: 0, logger: false, admin: { token: TOKEN } });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
    await server.close();
  });

  it('refuses a request without the token or with a wrong one (401), before looking at the route', async () => {
    for (const token of [null, 'wrong-token', `${TOKEN}x`, TOKEN.slice(0, -1)]) {
      const res = await call('GET', `${app}/sessions`, undefined, token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect((await res.json()).error).toMatchObject({ name: 'UNAUTHORIZED' });
    }
    expect((await call('GET', '/admin/v1/nothing-here', undefined, null)).status).toBe(401);
    const basic = await fetch(`${server.url}${app}/sessions`, { headers: { authorization: `Basic ${TOKEN}` } });
    expect(basic.status).toBe(401);
  });

  it('is off without a token: every admin path is a 404', async () => {
    const plain = await startServer({ port: 0, logger: false });
    try {
      const res = await fetch(`${plain.url}${app}/sessions`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(404);
      expect((await fetch(`${plain.url}/admin/v1/openapi.json`)).status).toBe(404);
    } finally {
      await plain.close();
    }
  });

  it('kicks a user: its client goes ABORTED/BANNED_BY_SERVER and may log in again', async () => {
    const bob = await loggedIn('bob');
    const states: string[] = [];
    bob.on('ConnectionStateChanged', (state, reason) => states.push(`${state}/${reason}`));
    const res = await call('POST', `${app}/users/bob/kick`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ kicked: true });
    await waitFor(() => states.includes('ABORTED/BANNED_BY_SERVER'), 5_000, 'the kick');
    expect(await (await call('POST', `${app}/users/nobody/kick`)).json()).toEqual({ kicked: false });
    await bob.logout();
    // The client allows two logins a second.
    await new Promise((r) => setTimeout(r, 600));
    await bob.login({ uid: 'bob' });
  });

  it('bans a user: kicked now, logins refused with LOGIN_ERR_REJECTED until lifted', async () => {
    const bob = await loggedIn('bob');
    const states: string[] = [];
    bob.on('ConnectionStateChanged', (state, reason) => states.push(`${state}/${reason}`));
    const res = await call('POST', `${app}/users/bob/ban`, { seconds: 60 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { bannedUntil: string; kicked: boolean };
    expect(body.kicked).toBe(true);
    expect(Date.parse(body.bannedUntil)).toBeGreaterThan(Date.now() + 55_000);
    await waitFor(() => states.includes('ABORTED/BANNED_BY_SERVER'), 5_000, 'the ban');
    await bob.logout();
    await new Promise((r) => setTimeout(r, 600));
    const again = AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, logFilter: AgoraRTM.LOG_FILTER_OFF });
    clients.push(again);
    await expect(again.login({ uid: 'bob' })).rejects.toMatchObject({ code: 2 });
    expect(await (await call('GET', `${app}/users/bob/ban`)).json()).toMatchObject({ banned: true });
    expect(await (await call('DELETE', `${app}/users/bob/ban`)).json()).toEqual({ unbanned: true });
    await new Promise((r) => setTimeout(r, 600));
    await again.login({ uid: 'bob' });
    expect(await (await call('GET', `${app}/users/bob/ban`)).json()).toEqual({ banned: false, bannedUntil: null });
    for (const seconds of [0, -1, 1.5, '60', 99_999_999]) {
      const bad = await call('POST', `${app}/users/bob/ban`, { seconds });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error).toMatchObject({ name: 'LOGIN_ERR_INVALID_ARGUMENT', code: 3 });
    }
  });

  it('sends a peer message as "system": bob gets MessageFromPeer', async () => {
    const bob = await loggedIn('bob');
    const got: Array<[string, string]> = [];
    bob.on('MessageFromPeer', (message, from) => got.push([from, textOf(message)]));
    const res = await call('POST', `${app}/peer-messages`, { from: 'system', to: 'bob', text: 'maintenance at ten' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ hasPeerReceived: true });
    const raw = await call('POST', `${app}/peer-messages`, { to: 'bob', rawMessage: Buffer.from([1, 2, 3]).toString('base64'), description: 'bytes' });
    expect(await raw.json()).toEqual({ hasPeerReceived: true });
    await waitFor(() => got.length === 2, 5_000, 'two messages');
    expect(got).toEqual([
      ['system', 'maintenance at ten'],
      ['system', 'RAW'],
    ]);
    // Nobody logged in as carol: not received, as for a client's send.
    expect(await (await call('POST', `${app}/peer-messages`, { to: 'carol', text: 'hi' })).json()).toEqual({ hasPeerReceived: false });
  });

  it('applies the client limits and codes to a peer message', async () => {
    const tooBig = await call('POST', `${app}/peer-messages`, { to: 'bob', text: 'x'.repeat(32 * 1024 + 1) });
    expect(tooBig.status).toBe(400);
    expect((await tooBig.json()).error).toMatchObject({ name: 'PEER_MESSAGE_ERR_INVALID_MESSAGE', code: 7 });
    const badPeer = await call('POST', `${app}/peer-messages`, { to: 'null', text: 'x' });
    expect((await badPeer.json()).error).toMatchObject({ name: 'PEER_MESSAGE_ERR_INVALID_USERID', code: 6 });
    const noText = await call('POST', `${app}/peer-messages`, { to: 'bob' });
    expect(noText.status).toBe(400);
    const notJson = await call('POST', `${app}/peer-messages`, '{"to":');
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.name).toBe('INVALID_JSON');
    const huge = await call('POST', `${app}/peer-messages`, { to: 'bob', text: 'x'.repeat(200 * 1024) });
    expect(huge.status).toBe(413);
    // The message budget is the client's: 180 per 3 s per sender.
    let refused = 0;
    for (let i = 0; i < 200 && refused === 0; i++) {
      const res = await call('POST', `${app}/peer-messages`, { from: 'flood', to: 'carol', text: `m${i}` });
      if (res.status === 429) {
        refused++;
        expect((await res.json()).error).toMatchObject({ name: 'PEER_MESSAGE_ERR_TOO_OFTEN', code: 5 });
      }
    }
    expect(refused).toBe(1);
  });

  it('sends a channel message to every member, and lists members with their count', async () => {
    const alice = await loggedIn('alice');
    const bob = await loggedIn('bob');
    const got: string[] = [];
    const channels = [];
    for (const [uid, client] of [['alice', alice], ['bob', bob]] as const) {
      const channel = client.createChannel('lobby');
      channel.on('ChannelMessage', (message, from) => got.push(`${uid}<-${from}:${textOf(message)}`));
      await channel.join();
      channels.push(channel);
    }
    const members = (await (await call('GET', `${app}/channels/lobby/members`)).json()) as { members: string[]; count: number };
    expect(members.count).toBe(2);
    expect([...members.members].sort()).toEqual(['alice', 'bob']);
    const res = await call('POST', `${app}/channels/lobby/messages`, { from: 'system', text: 'welcome' });
    expect(await res.json()).toEqual({ members: 2 });
    await waitFor(() => got.length === 2, 5_000, 'the channel message');
    expect(got.sort()).toEqual(['alice<-system:welcome', 'bob<-system:welcome']);
    // The server's message took a place in the channel's order: a member's next one still arrives.
    await channels[0]?.sendMessage({ text: 'thanks' });
    await waitFor(() => got.length === 3, 5_000, "alice's message after it");
    expect(got.at(-1)).toBe('bob<-alice:thanks');
    expect(await (await call('GET', `${app}/channels/empty/members`)).json()).toEqual({ members: [], count: 0 });
    expect(await (await call('POST', `${app}/channels/empty/messages`, { text: 'anyone?' })).json()).toEqual({ members: 0 });
  });

  it('reads online status and lists sessions a page at a time', async () => {
    await loggedIn('alice');
    await loggedIn('bob');
    const status = await call('GET', `${app}/users/status?uids=alice,bob,carol`);
    expect(await status.json()).toEqual({ online: { alice: true, bob: true, carol: false } });
    expect((await call('GET', `${app}/users/status`)).status).toBe(400);
    const first = (await (await call('GET', `${app}/sessions?limit=1`)).json()) as { sessions: Array<Record<string, unknown>>; next: string | null };
    expect(first.sessions).toHaveLength(1);
    expect(first.sessions[0]).toMatchObject({ uid: 'alice', connected: true });
    expect(first.sessions[0]).not.toHaveProperty('sessionId');
    expect(first.next).toBe('alice');
    const second = (await (await call('GET', `${app}/sessions?limit=1&after=alice`)).json()) as { sessions: Array<{ uid: string }>; next: string | null };
    expect(second.sessions.map((s) => s.uid)).toEqual(['bob']);
    expect(second.next).toBeNull();
    expect((await call('GET', `${app}/sessions?limit=0`)).status).toBe(400);
  });

  it('sets channel attributes that clients read and get notified of', async () => {
    const alice = await loggedIn('alice');
    const channel = alice.createChannel('room');
    const updates: Array<Record<string, { value: string; lastUpdateUserId: string }>> = [];
    channel.on('AttributesUpdated', (attributes) => updates.push(attributes));
    await channel.join();
    const put = await call('PUT', `${app}/channels/room/attributes`, { attributes: { topic: 'launch', mood: 'good' }, notify: true });
    expect(put.status).toBe(200);
    await waitFor(() => updates.length === 1, 5_000, 'AttributesUpdated');
    expect(updates[0]?.['topic']).toMatchObject({ value: 'launch', lastUpdateUserId: 'system' });
    const read = await alice.getChannelAttributes('room');
    expect(read['mood']?.value).toBe('good');
    await call('PATCH', `${app}/channels/room/attributes`, { attributes: { mood: 'great' }, from: 'ops' });
    const got = (await (await call('GET', `${app}/channels/room/attributes?keys=mood`)).json()) as { attributes: Record<string, { value: string; lastUpdateUserId: string }> };
    expect(got.attributes).toEqual({ mood: expect.objectContaining({ value: 'great', lastUpdateUserId: 'ops' }) });
    await call('DELETE', `${app}/channels/room/attributes`, { keys: ['mood'] });
    expect(Object.keys(await alice.getChannelAttributes('room'))).toEqual(['topic']);
    const bad = await call('PUT', `${app}/channels/room/attributes`, { attributes: { k: 1 } });
    expect((await bad.json()).error).toMatchObject({ name: 'ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT', code: 3 });
  });

  it("writes a logged-in user's attributes for its session; 404 for a user without one", async () => {
    const alice = await loggedIn('alice');
    const bob = await loggedIn('bob');
    await alice.setLocalUserAttributes({ name: 'Alice' });
    expect(await (await call('GET', `${app}/users/alice/attributes`)).json()).toEqual({ attributes: { name: 'Alice' } });
    expect((await call('PATCH', `${app}/users/alice/attributes`, { attributes: { role: 'moderator' } })).status).toBe(200);
    expect(await bob.getUserAttributes('alice')).toEqual({ name: 'Alice', role: 'moderator' });
    const nobody = await call('PUT', `${app}/users/carol/attributes`, { attributes: { a: 'b' } });
    expect(nobody.status).toBe(404);
    expect((await nobody.json()).error).toMatchObject({ name: 'ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN', code: 102 });
    await call('DELETE', `${app}/users/alice/attributes`, {});
    expect(await bob.getUserAttributes('alice')).toEqual({});
  });

  it('answers unknown routes 404, wrong methods 405, bad apps clearly', async () => {
    expect((await call('GET', `${app}/nothing`)).status).toBe(404);
    const wrong = await call('GET', `${app}/users/bob/kick`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    const badApp = await call('GET', '/admin/v1/apps/not-an-app/sessions');
    expect((await badApp.json()).error).toMatchObject({ name: 'LOGIN_ERR_INVALID_APP_ID' });
    const badEncoding = await call('POST', `${app}/users/%E0%A4%A/kick`);
    expect(badEncoding.status).toBe(400);
  });

  it('the typed client drives the same API', async () => {
    const bob = await loggedIn('bob');
    const got: string[] = [];
    bob.on('MessageFromPeer', (message, from) => got.push(`${from}:${textOf(message)}`));
    const admin = createAdminClient(server.url, TOKEN).app(APP_ID);
    expect(await admin.sendPeerMessage({ to: 'bob', text: 'typed' })).toEqual({ hasPeerReceived: true });
    expect(await admin.onlineStatus(['bob', 'zed'])).toEqual({ bob: true, zed: false });
    expect((await admin.sessions()).sessions.map((s) => s.uid)).toEqual(['bob']);
    await expect(createAdminClient(server.url, 'wrong-token-wrong-token').app(APP_ID).kick('bob')).rejects.toMatchObject({ status: 401 });
    await waitFor(() => got.length === 1, 5_000, 'the typed message');
    expect(got).toEqual(['system:typed']);
  });

  it('describes every route of the router in its OpenAPI document', async () => {
    const res = await fetch(`${server.url}/admin/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { summary: string }>> };
    expect(doc.openapi).toBe('3.1.0');
    const listed = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    const routed = ADMIN_ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(listed.sort()).toEqual([...routed].sort());
    expect(routed).toContain('POST /admin/v1/apps/{appId}/users/{uid}/kick');
    expect(routed).toContain('GET /admin/v1/apps/{appId}/channels/{channelId}/members');
  });
});
