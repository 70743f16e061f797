import { StrictMode, useState } from 'react';
import { act, cleanup, render, renderHook, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import AgoraRTM, { RtmErrorCode, type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import {
  RtmProvider,
  useChannel,
  useChannelAttributes,
  useLocalUserAttributes,
  useMediaTransfers,
  useMemberCount,
  usePeerMessageListener,
  usePeerMessages,
  useRtmStore,
  useUserAttributes,
  type MessageItem,
  type PeerMessageItem,
} from '@rtm-kit/react';
import { APP_ID, clientConfig, sleep } from './helpers.js';

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

/** Another user, driven with the plain 1.x API. */
async function other(uid: string): Promise<RtmClient> {
  const client = AgoraRTM.createInstance(APP_ID, clientConfig(server.url));
  others.push(client);
  await client.login({ uid });
  return client;
}

function wrapper(uid: string) {
  const client = AgoraRTM.createInstance(APP_ID, clientConfig(server.url));
  return ({ children }: { children: React.ReactNode }) => (
    <StrictMode>
      <RtmProvider client={client} uid={uid}>
        {children}
      </RtmProvider>
    </StrictMode>
  );
}

describe('useChannel', () => {
  it('calls the latest onMessage for received messages only, and joins only while enabled', async () => {
    const bob = await other('bob');
    const heard: string[] = [];
    let setEnabled: (on: boolean) => void = () => undefined;
    function Room() {
      const [enabled, set] = useState(false);
      const [label, setLabel] = useState('v1');
      setEnabled = set;
      const { status, sendMessage } = useChannel('lobby', {
        enabled,
        onMessage: (m: MessageItem) => {
          heard.push(`${label}:${m.from}:${'text' in m.message ? m.message.text : ''}`);
          setLabel('v2');
        },
      });
      return (
        <button type="button" data-testid="room" onClick={() => void sendMessage('from alice')}>
          {status}
        </button>
      );
    }
    const Wrapper = wrapper('alice');
    render(
      <Wrapper>
        <Room />
      </Wrapper>,
    );
    await sleep(400);
    expect(screen.getByTestId('room').textContent).toBe('idle');
    act(() => setEnabled(true));
    await waitFor(() => expect(screen.getByTestId('room').textContent).toBe('joined'), { timeout: 5_000 });

    const channel = bob.createChannel('lobby');
    await channel.join();
    await channel.sendMessage({ text: 'one' });
    await waitFor(() => expect(heard).toEqual(['v1:bob:one']));
    await channel.sendMessage({ text: 'two' });
    await waitFor(() => expect(heard).toEqual(['v1:bob:one', 'v2:bob:two']));
    act(() => screen.getByTestId('room').click());
    await sleep(200);
    expect(heard).toHaveLength(2); // own sends are not "received"
  });

  it('returns a failed join and a failed send as data', async () => {
    const { result } = renderHook(
      () => ({ bad: useChannel('bad/id'), lobby: useChannel('lobby', { enabled: false }), conn: useRtmStore((s) => s.connection) }),
      { wrapper: wrapper('alice') },
    );
    await waitFor(() => expect(result.current.bad.status).toBe('error'), { timeout: 5_000 });
    expect(result.current.bad.error?.code).toBe(RtmErrorCode.CreateChannelError.CREATE_CHANNEL_ERR_INVALID_ARGUMENT);

    let failed: MessageItem | null = null;
    await act(async () => {
      failed = await result.current.lobby.sendMessage('not joined yet');
    });
    expect(result.current.lobby.messages[0]).toMatchObject({ status: 'failed' });
    expect((failed as MessageItem | null)?.error?.code).toBe(RtmErrorCode.ChannelMessageError.CHANNEL_MESSAGE_ERR_NOT_IN_CHANNEL);
    await act(() => result.current.lobby.join());
    // Enabled is false, so nothing holds the channel: join() only clears a leave.
    expect(result.current.lobby.status).toBe('idle');
  });
});

describe('usePeerMessages', () => {
  it('shows a conversation, offline messages marked, and notifies listeners', async () => {
    const bob = await other('bob');
    await bob.sendMessageToPeer({ text: 'left for you' }, 'alice', { enableOfflineMessaging: true });
    const anyone: string[] = [];
    const fromBob: string[] = [];
    const { result } = renderHook(
      () => {
        usePeerMessageListener((m: PeerMessageItem) => anyone.push(m.from));
        return usePeerMessages('bob', { onMessage: (m: PeerMessageItem) => fromBob.push(m.from) });
      },
      { wrapper: wrapper('alice') },
    );
    await waitFor(() => expect(result.current.messages).toHaveLength(1), { timeout: 5_000 });
    expect(result.current.messages[0]).toMatchObject({ from: 'bob', isOfflineMessage: true, message: { text: 'left for you' } });

    let sent: PeerMessageItem | null = null;
    await act(async () => {
      sent = await result.current.sendMessage('thanks');
    });
    expect(sent).toMatchObject({ status: 'sent', hasPeerReceived: true });
    await bob.sendMessageToPeer({ text: 'welcome' }, 'alice');
    await waitFor(() => expect(result.current.messages.map((m) => m.isOfflineMessage)).toEqual([true, false, false]));
    expect(anyone).toEqual(['bob', 'bob']);
    expect(fromBob).toEqual(['bob', 'bob']);
  });
});

describe('attributes and counts', () => {
  it('useChannelAttributes loads, writes, and reports a bad write as data', async () => {
    const bob = await other('bob');
    await bob.setChannelAttributes('room', { topic: 'hello' });
    const { result } = renderHook(() => useChannelAttributes('room'), { wrapper: wrapper('alice') });
    await waitFor(() => expect(result.current.status).toBe('ready'), { timeout: 5_000 });
    expect(result.current.attributes['topic']).toMatchObject({ value: 'hello', lastUpdateUserId: 'bob' });
    await act(() => result.current.set({ topic: 'mine' }));
    expect(result.current.attributes['topic']).toMatchObject({ value: 'mine', lastUpdateUserId: 'alice' });
    await act(() => expect(result.current.addOrUpdate({ '': 'x' })).rejects.toMatchObject({ code: 3 }));
    expect(result.current.error?.code).toBe(RtmErrorCode.AttributeOperationError.ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT);
    await act(() => result.current.refresh());
    expect(result.current.error).toBeNull();
  });

  it('useChannelAttributes with { join: true } gets notified without any other component joining', async () => {
    const bob = await other('bob');
    const { result } = renderHook(
      () => ({ attributes: useChannelAttributes('room', { join: true }), joined: useRtmStore((s) => s.channels['room']?.status) }),
      { wrapper: wrapper('alice') },
    );
    await waitFor(() => expect(result.current.joined).toBe('joined'), { timeout: 5_000 });
    expect(result.current.attributes.status).toBe('ready');
    await bob.addOrUpdateChannelAttributes('room', { topic: 'pushed' }, { enableNotificationToChannelMembers: true });
    await waitFor(() => expect(result.current.attributes.attributes['topic']?.value).toBe('pushed'), { timeout: 3_000 });
  });

  it('useLocalUserAttributes writes what useUserAttributes reads elsewhere', async () => {
    const { result: alice } = renderHook(() => ({ own: useLocalUserAttributes(), state: useRtmStore((s) => s.connection.state) }), {
      wrapper: wrapper('alice'),
    });
    await waitFor(() => expect(alice.current.state).toBe('CONNECTED'), { timeout: 5_000 });
    const { result: bob } = renderHook(() => useUserAttributes('alice'), { wrapper: wrapper('bob') });
    await waitFor(() => expect(bob.current.status).toBe('ready'), { timeout: 5_000 });
    expect(bob.current.attributes).toEqual({});
    await act(() => alice.current.own.set({ name: 'Alice' }));
    expect(alice.current.own.attributes).toEqual({ name: 'Alice' });
    await act(() => bob.current.refresh());
    expect(bob.current.attributes).toEqual({ name: 'Alice' });
  });

  it('useMemberCount counts members of a channel this user did not join', async () => {
    const bob = await other('bob');
    await bob.createChannel('lobby').join();
    const { result } = renderHook(() => useMemberCount(['lobby', 'empty']), { wrapper: wrapper('alice') });
    await waitFor(() => expect(result.current).toEqual({ lobby: 1, empty: 0 }), { timeout: 5_000 });
  });
});

describe('useMediaTransfers', () => {
  it('uploads a file with a transfer entry the UI can show', async () => {
    const { result } = renderHook(() => ({ media: useMediaTransfers(), conn: useRtmStore((s) => s.connection) }), {
      wrapper: wrapper('alice'),
    });
    await waitFor(() => expect(result.current.conn.state).toBe('CONNECTED'), { timeout: 5_000 });
    const bytes = new Uint8Array(50_000).fill(7);
    let mediaId = '';
    await act(async () => {
      mediaId = (await result.current.media.upload(new Blob([bytes]), { fileName: 'a.bin' })).mediaId;
    });
    expect(result.current.media.transfers).toMatchObject([{ kind: 'upload', status: 'done', fileName: 'a.bin', mediaId }]);
    let blob: Blob | null = null;
    await act(async () => {
      blob = await result.current.media.download(mediaId);
    });
    expect((blob as Blob | null)?.size).toBe(bytes.length);
    expect(result.current.media.transfers.map((t) => `${t.kind}:${t.status}`)).toEqual(['upload:done', 'download:done']);
  });
});
