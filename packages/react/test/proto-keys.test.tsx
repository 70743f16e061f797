import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, expect, it } from 'vitest';
import AgoraRTM, { type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { RtmProvider, useChannel, useMemberCount, usePeerMessages, usePeerStatus, useRtmStore } from '@rtm-kit/react';
import { APP_ID, clientConfig, sleep } from './helpers.js';

/*
 * Channel IDs and uids are the users' strings: `__proto__`, `constructor` and `toString` are
 * valid ones and must behave like any other in the store and the hooks.
 */
let server: RtmServer;
const others: RtmClient[] = [];
beforeEach(async () => {
  server = await startServer({ port: 0, logger: false });
});
afterEach(async () => {
  cleanup();
  await Promise.all(others.splice(0).map((c) => c.logout().catch(() => undefined)));
  await sleep(150);
  await server.close();
});

const wrapper = ({ children }: { children: ReactNode }) => (
  <RtmProvider appId={APP_ID} uid="alice" serverUrl={server.url} config={{ logFilter: AgoraRTM.LOG_FILTER_OFF }}>
    {children}
  </RtmProvider>
);

async function other(uid: string): Promise<RtmClient> {
  const client = AgoraRTM.createInstance(APP_ID, clientConfig(server.url));
  others.push(client);
  await client.login({ uid });
  return client;
}

it('joins, counts and receives messages in a channel named __proto__', async () => {
  const bob = await other('bob');
  const { result } = renderHook(
    () => ({ channel: useChannel('__proto__'), counts: useMemberCount(['__proto__', 'constructor']), channels: useRtmStore((s) => s.channels) }),
    { wrapper },
  );
  await waitFor(() => expect(result.current.channel.status).toBe('joined'), { timeout: 5_000 });
  const channel = bob.createChannel('__proto__');
  await channel.join();
  await channel.sendMessage({ text: 'hello from bob' });
  await waitFor(() => expect(result.current.channel.messages.map((m) => m.from)).toEqual(['bob']), { timeout: 5_000 });
  await waitFor(() => expect(result.current.counts['__proto__']).toBe(2), { timeout: 5_000 });
  expect(Object.hasOwn(result.current.counts, '__proto__')).toBe(true);
  expect(Object.keys(result.current.channels)).toEqual(['__proto__']);
  expect(result.current.channel.members).toEqual(expect.arrayContaining(['alice', 'bob']));
});

it('keeps a conversation and the online status of users named __proto__ and constructor', async () => {
  const proto = await other('__proto__');
  await other('constructor');
  const { result } = renderHook(() => ({ status: usePeerStatus(['__proto__', 'constructor', 'toString']), chat: usePeerMessages('__proto__') }), { wrapper });
  await waitFor(() => expect(result.current.status).toEqual({ ['__proto__']: 'ONLINE', constructor: 'ONLINE', toString: 'OFFLINE' }), { timeout: 5_000 });
  await act(() => proto.sendMessageToPeer({ text: 'from a user named __proto__' }, 'alice').then(() => undefined));
  await waitFor(() => expect(result.current.chat.messages.map((m) => ('text' in m.message ? m.message.text : ''))).toEqual(['from a user named __proto__']), {
    timeout: 5_000,
  });
});
