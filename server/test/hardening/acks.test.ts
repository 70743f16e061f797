import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { REQUEST_ERRORS, errorCodeOf, type ClientEventName } from '@rtm-kit/protocol';
import { startServer, type RtmServer } from '@rtm-kit/server';

const APP_ID = '0123456789abcdef0123456789abcdef';
const NO_ANSWER = Symbol('no answer');

/** Emits `args` as they are, the last one being the ack; resolves with the answer or NO_ANSWER. */
function ask(socket: Socket, event: string, ...args: unknown[]): Promise<unknown> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(NO_ANSWER), 2_000);
    socket.emit(event, ...args, (answer: unknown) => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}

function invalidOf(event: ClientEventName): { code: number; name: string } {
  const name = REQUEST_ERRORS[event].invalid;
  return { code: name === 'INTERNAL' ? 0 : errorCodeOf(name), name };
}

describe('every request that carries an acknowledgement is answered', () => {
  let server: RtmServer;
  let socket: Socket;

  beforeEach(async () => {
    server = await startServer({ port: 0, logger: false });
    socket = io(server.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      auth: { v: 1, appId: APP_ID, uid: 'alice', token: null, sessionId: null },
    });
    await new Promise((resolve, reject) => {
      socket.once('session:ready', resolve);
      socket.once('connect_error', reject);
    });
  });
  afterEach(async () => {
    socket.disconnect();
    await server.close();
  });

  const events = Object.keys(REQUEST_ERRORS) as ClientEventName[];

  it.each(events)('%s with no payload, only an ack: the invalid-argument code of the request', async (event) => {
    const answer = await ask(socket, event);
    expect(answer).toMatchObject({ ok: false, error: invalidOf(event) });
  });

  it.each(events)('%s with extra arguments before the ack: the invalid-argument code of the request', async (event) => {
    const answer = await ask(socket, event, {}, 'extra', 42);
    expect(answer).toMatchObject({ ok: false, error: invalidOf(event) });
  });

  it('answers channel:getMemberCount called as (channelIds, extra, ack) with GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT (2)', async () => {
    await expect(ask(socket, 'channel:getMemberCount', { channelIds: ['lobby'] }, { more: true })).resolves.toMatchObject({
      ok: false,
      error: { code: 2, name: 'GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT' },
    });
    // The same request in its right shape still works.
    await expect(ask(socket, 'channel:getMemberCount', { channelIds: ['lobby'] })).resolves.toMatchObject({ ok: true });
  });

  it.each([
    ['an unknown event', 'admin:shutdown', [{}]],
    ['an unknown event with no payload', 'nope', []],
    ['an unknown event with many arguments', 'nope', [1, 2, 3]],
    ['a name from Object.prototype', '__proto__', [{}]],
    ['another name from Object.prototype', 'hasOwnProperty', [{}]],
  ])('answers %s with an error', async (_label, event, args) => {
    await expect(ask(socket, event as string, ...(args as unknown[]))).resolves.toMatchObject({ ok: false, error: { name: 'INTERNAL' } });
  });

  it('keeps serving the connection after all of that', async () => {
    for (const event of events) await ask(socket, event);
    await ask(socket, 'nope');
    expect(socket.connected).toBe(true);
    await expect(ask(socket, 'presence:query', { peers: ['bob'] })).resolves.toMatchObject({ ok: true });
  });
});
