import { describe, expect, it } from 'vitest';
import AgoraRTM, { RtmError, RtmInvalidArgumentError, type RtmClient } from '@rtm-kit/client';
import { startServer } from '@rtm-kit/server';
import { APP_ID } from './helpers.js';

/** The error a synchronous call throws, or a rejection's reason. */
async function failure(run: () => unknown): Promise<RtmError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof RtmError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const offline = () => AgoraRTM.createInstance(APP_ID, { serverUrl: 'http://127.0.0.1:1', logFilter: AgoraRTM.LOG_FILTER_OFF });

describe('the 1.5.1 runtime surface, where it differs from the typings', () => {
  it('refuses unknown createInstance config keys with RtmInvalidArgumentError code 1', async () => {
    const error = await failure(() => AgoraRTM.createInstance(APP_ID, { enableLogUpload: false, verbose: true } as never));
    expect(error).toBeInstanceOf(RtmInvalidArgumentError);
    expect(error.code).toBe(1);
    expect(error.message).toBe('Invalid RTM config: verbose');
  });

  it('refuses empty or unknown setArea codes with RtmInvalidArgumentError code 1', async () => {
    for (const config of [{ areaCodes: [] }, { areaCodes: ['MARS'] }, { areaCodes: ['GLOBAL'], excludedArea: 'GLOBAL' }]) {
      const error = await failure(() => AgoraRTM.setArea(config as never));
      expect(error).toBeInstanceOf(RtmInvalidArgumentError);
      expect(error.code).toBe(1);
    }
  });

  it('ignores unknown keys in updateConfig and setParameters but applies the known ones', () => {
    const client = offline();
    expect(() => client.setParameters({ enableCloudProxy: false, FUTURE_KEY: 1 } as never)).not.toThrow();
    expect(() => client.updateConfig({ logFilter: AgoraRTM.LOG_FILTER_DEBUG, another: 'x' } as never)).not.toThrow();
  });

  it('answers queryPeersOnlineStatus before login with 102, whatever the arguments', async () => {
    for (const peers of [[], ['bob'], 'not-an-array']) {
      const error = await failure(() => offline().queryPeersOnlineStatus(peers as never));
      expect(error.code).toBe(102);
      expect(error.codeName).toBe('QUERY_PEERS_ONLINE_STATUS_ERR_USER_NOT_LOGGED_IN');
    }
  });

  it('still checks the arguments once logged in', async () => {
    const server = await startServer({ port: 0, logger: false });
    const client = AgoraRTM.createInstance(APP_ID, { serverUrl: server.url, logFilter: AgoraRTM.LOG_FILTER_OFF });
    try {
      await client.login({ uid: 'alice' });
      const error = await failure(() => client.queryPeersOnlineStatus([]));
      expect(error.codeName).toBe('QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT');
      await expect(client.queryPeersOnlineStatus(['alice'])).resolves.toEqual({ alice: true });
    } finally {
      await client.logout();
      await server.close();
    }
  });
});

describe('prependListener and prependOnceListener', () => {
  it('put a listener first, once or for good, on the client', () => {
    const client: RtmClient = offline();
    const order: string[] = [];
    client.on('TokenExpired', () => order.push('on'));
    client.prependListener('TokenExpired', () => order.push('prepended'));
    client.prependOnceListener('TokenExpired', () => order.push('prepended-once'));
    client.emit('TokenExpired');
    client.emit('TokenExpired');
    expect(order).toEqual(['prepended-once', 'prepended', 'on', 'prepended', 'on']);
    expect(client.listenerCount('TokenExpired')).toBe(2);
  });

  it('exist on channels and invitations too', () => {
    const client = offline();
    const channel = client.createChannel('lobby');
    const invitation = client.createLocalInvitation('bob');
    const order: string[] = [];
    channel.on('MemberJoined', (id) => order.push(`on:${id}`));
    channel.prependOnceListener('MemberJoined', (id) => order.push(`first:${id}`));
    channel.emit('MemberJoined', 'carol');
    invitation.prependListener('LocalInvitationAccepted', () => order.push('accepted'));
    invitation.emit('LocalInvitationAccepted', '');
    expect(order).toEqual(['first:carol', 'on:carol', 'accepted']);
  });

  it('removes the most recent registration of a listener added twice, as Node does', () => {
    const client = offline();
    const calls: number[] = [];
    const listener = () => calls.push(1);
    client.on('TokenExpired', listener);
    client.once('TokenExpired', listener);
    client.off('TokenExpired', listener);
    client.emit('TokenExpired');
    client.emit('TokenExpired');
    expect(calls).toEqual([1, 1]);
  });

  it('treats an event named __proto__ as an ordinary name', () => {
    const client = offline() as unknown as { on(e: string, l: () => void): void; emit(e: string): boolean; eventNames(): string[] };
    let called = 0;
    client.on('__proto__', () => called++);
    expect(client.emit('__proto__')).toBe(true);
    expect(called).toBe(1);
    expect(client.eventNames()).toEqual(['__proto__']);
  });
});
