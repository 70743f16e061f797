import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import AgoraRTM, { type RtmChannel, type RtmClient, type RtmMessage, type RemoteInvitation } from '@rtm-kit/client';
import { createInProcessServer, type InProcessServer } from '@rtm-kit/server/in-process';

const APP_ID = '0123456789abcdef0123456789abcdef';

/** Polls until `check` is true, failing after `ms`. */
async function waitFor(check: () => boolean, ms = 5_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  for (let i = 0; i < 10_000; i++) {
    if (check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const textOf = (m: RtmMessage) => ('text' in m ? m.text : m.messageType);

describe('two real clients through the in-process server', () => {
  let server: InProcessServer;
  const clients: RtmClient[] = [];
  const loggedIn = async (uid: string) => {
    const client = AgoraRTM.createInstance(APP_ID, { ...server.clientConfig, logFilter: AgoraRTM.LOG_FILTER_OFF });
    clients.push(client);
    await client.login({ uid });
    return client;
  };

  beforeEach(async () => {
    server = await createInProcessServer({ logger: false });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
    await server.close();
  });

  it('logs in with the 1.x states and keeps a session in the real core', async () => {
    const alice = AgoraRTM.createInstance(APP_ID, { ...server.clientConfig, logFilter: AgoraRTM.LOG_FILTER_OFF });
    clients.push(alice);
    const states: string[] = [];
    alice.on('ConnectionStateChanged', (state, reason) => states.push(`${state}/${reason}`));
    await alice.login({ uid: 'alice' });
    expect(states).toEqual(['CONNECTING/LOGIN', 'CONNECTED/LOGIN_SUCCESS']);
    expect((await server.core.sessions.get(APP_ID, 'alice'))?.connected).toBe(true);
    expect(server.connections()).toBe(1);
  });

  it('exchanges peer messages, text and raw, with hasPeerReceived', async () => {
    const alice = await loggedIn('alice');
    const bob = await loggedIn('bob');
    const received: Array<{ from: string; message: RtmMessage }> = [];
    bob.on('MessageFromPeer', (message, from) => received.push({ from, message }));
    expect(await alice.sendMessageToPeer({ text: 'hi bob' }, 'bob')).toEqual({ hasPeerReceived: true });
    const raw = new Uint8Array([0, 1, 2, 250, 255]);
    await alice.sendMessageToPeer(alice.createMessage({ rawMessage: raw, messageType: 'RAW', description: 'bytes' }), 'bob');
    await waitFor(() => received.length === 2, 5_000, 'two peer messages');
    expect(received[0]).toMatchObject({ from: 'alice', message: { text: 'hi bob', messageType: 'TEXT' } });
    const got = received[1]?.message as { rawMessage: Uint8Array; description: string };
    expect([...got.rawMessage]).toEqual([...raw]);
    expect(got.description).toBe('bytes');
    // Copied across, never shared: changing the sent bytes changes nothing received.
    raw[0] = 99;
    expect(got.rawMessage[0]).toBe(0);
  });

  it('delivers channel messages to the other members, not to the sender', async () => {
    const alice = await loggedIn('alice');
    const bob = await loggedIn('bob');
    const seen: string[] = [];
    const bobLobby: RtmChannel = bob.createChannel('lobby');
    bobLobby.on('ChannelMessage', (m, from) => seen.push(`bob<-${from}:${textOf(m)}`));
    bobLobby.on('MemberJoined', (uid) => seen.push(`joined:${uid}`));
    await bobLobby.join();
    const aliceLobby = alice.createChannel('lobby');
    aliceLobby.on('ChannelMessage', (m, from) => seen.push(`alice<-${from}:${textOf(m)}`));
    await aliceLobby.join();
    await aliceLobby.sendMessage({ text: 'hello lobby' });
    await waitFor(() => seen.includes('bob<-alice:hello lobby'), 5_000, 'the channel message');
    expect(seen).toContain('joined:alice');
    expect(seen.filter((s) => s.startsWith('alice<-'))).toEqual([]);
    expect((await aliceLobby.getMembers()).sort()).toEqual(['alice', 'bob']);
  });

  it('rings and accepts a call invitation', async () => {
    const alice = await loggedIn('alice');
    const bob = await loggedIn('bob');
    const events: string[] = [];
    bob.on('RemoteInvitationReceived', (invitation: RemoteInvitation) => {
      events.push(`ringing:${invitation.callerId}:${invitation.channelId}`);
      invitation.response = 'coming';
      invitation.accept();
    });
    const call = alice.createLocalInvitation('bob');
    call.channelId = 'call-1';
    call.on('LocalInvitationReceivedByPeer', () => events.push('received-by-peer'));
    call.on('LocalInvitationAccepted', (response) => events.push(`accepted:${response}`));
    call.send();
    await waitFor(() => events.some((e) => e.startsWith('accepted')), 5_000, 'the accept');
    expect(events).toEqual(['ringing:alice:call-1', 'received-by-peer', 'accepted:coming']);
  });

  it('reports presence: ONLINE, UNREACHABLE while the network is down, ONLINE again, OFFLINE after logout', async () => {
    const alice = await loggedIn('alice');
    const bob = await loggedIn('bob');
    const statuses: string[] = [];
    alice.on('PeersOnlineStatusChanged', (s) => {
      if (s['bob'] !== undefined) statuses.push(s['bob']);
    });
    await alice.subscribePeersOnlineStatus(['bob']);
    await waitFor(() => statuses.includes('ONLINE'), 5_000, 'ONLINE');
    server.goOffline('bob');
    await waitFor(() => statuses.includes('UNREACHABLE'), 5_000, 'UNREACHABLE');
    server.goOnline('bob');
    await waitFor(() => statuses.at(-1) === 'ONLINE' && bob.connectionState === 'CONNECTED', 10_000, 'bob back');
    await bob.logout();
    await waitFor(() => statuses.at(-1) === 'OFFLINE', 5_000, 'OFFLINE');
    expect(statuses).toEqual(['ONLINE', 'UNREACHABLE', 'ONLINE', 'OFFLINE']);
  });

  it('uploads a file that another user downloads byte for byte', async () => {
    const alice = await loggedIn('alice');
    const bob = await loggedIn('bob');
    const bytes = new Uint8Array(700_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 0xff;
    const progress: number[] = [];
    const message = await alice.createMediaMessageByUploading(new Blob([bytes]), { fileName: 'data.bin', messageType: 'FILE' }, {
      onOperationProgress: ({ currentSize }) => progress.push(currentSize),
    });
    expect(message.size).toBe(bytes.length);
    const received: RtmMessage[] = [];
    bob.on('MessageFromPeer', (m) => received.push(m));
    await alice.sendMessageToPeer(message, 'bob');
    await waitFor(() => received.length === 1, 5_000, 'the file message');
    const got = received[0] as { mediaId: string; fileName: string };
    expect(got.fileName).toBe('data.bin');
    const blob = await bob.downloadMedia(got.mediaId);
    const downloaded = new Uint8Array(await blob.arrayBuffer());
    expect(downloaded.length).toBe(bytes.length);
    expect(downloaded.every((b, i) => b === bytes[i])).toBe(true);
    expect(progress.at(-1)).toBe(bytes.length);
  });
});
