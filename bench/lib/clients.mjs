/**
 * One simulated user, the same to every workload whichever server it talks to: `bare` speaks the
 * baseline's events with socket.io-client, `rtm-kit` is the real `@rtm-kit/client` SDK. Both use
 * socket.io-client over WebSocket only, one connection per user, from a loopback address of
 * the user's own.
 */
import AgoraRTM, { socketIoTransport } from '@rtm-kit/client';
import agoraToken from 'agora-token';
import { io } from 'socket.io-client';
import { APP_CERTIFICATE, APP_ID, clientAddress, signBareToken } from './config.mjs';

const { RtmTokenBuilder } = agoraToken;
const TOKEN_LIFETIME_S = 3_600;

/**
 * @typedef {object} BenchClient
 * @property {string} uid
 * @property {() => Promise<void>} login
 * @property {(peerId: string, text: string) => Promise<boolean>} sendPeer resolves whether the peer received it
 * @property {(listener: (text: string, from: string) => void) => void} onPeer
 * @property {(channel: string) => Promise<void>} join
 * @property {(channel: string, listener: (text: string, from: string) => void) => void} onChannelMessage
 * @property {(channel: string, listener: (count: number) => void) => void} onMemberCount rtm-kit only
 * @property {(channel: string, text: string) => Promise<void>} publish
 * @property {(uids: string[]) => Promise<void>} subscribe
 * @property {(channel: string, key: string, value: string) => Promise<void>} setChannelAttribute with notification
 * @property {(channel: string, listener: (attributes: Record<string, { value: string }>) => void) => void} onChannelAttributes
 * @property {() => void} close
 */

/**
 * A user of `target` ('bare' | 'rtm-kit') at `url`, not logged in yet. `k` numbers the user within
 * its run (it picks the source address). Tokens are made here, before anything is measured.
 * @returns {BenchClient}
 */
export function createBenchClient(target, url, uid, k) {
  return target === 'bare' ? bareClient(url, uid, k) : rtmKitClient(url, uid, k);
}

function bareClient(url, uid, k) {
  const token = signBareToken(uid, Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_S);
  const socket = io(url, {
    autoConnect: false,
    forceNew: true,
    transports: ['websocket'],
    reconnection: false,
    localAddress: clientAddress(k),
    auth: { appId: APP_ID, uid, token },
  });
  const request = (event, payload) => socket.timeout(10_000).emitWithAck(event, payload);
  return {
    uid,
    login: () =>
      new Promise((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
        socket.connect();
      }),
    sendPeer: async (peerId, text) => (await request('p2p', { to: peerId, body: text })).received === true,
    onPeer: (listener) =>
      socket.on('msg', ({ from, body }, ack) => {
        ack(true);
        listener(body, from);
      }),
    join: async (channel) => void (await request('join', { channel })),
    onChannelMessage: (channel, listener) =>
      socket.on('cmsg', (message) => {
        if (message.channel === channel) listener(message.body, message.from);
      }),
    onMemberCount: () => {},
    publish: async (channel, text) => void (await request('pub', { channel, body: text })),
    subscribe: async (uids) => void (await request('sub', { uids })),
    setChannelAttribute: async (channel, key, value) => void (await request('attr', { channel, key, value })),
    onChannelAttributes: (channel, listener) =>
      socket.on('attrs', (update) => {
        if (update.channel === channel) listener(update.attributes);
      }),
    close: () => socket.disconnect(),
  };
}

function rtmKitClient(url, uid, k) {
  const token = RtmTokenBuilder.buildToken(APP_ID, APP_CERTIFICATE, uid, TOKEN_LIFETIME_S);
  const client = AgoraRTM.createInstance(APP_ID, {
    serverUrl: url,
    transport: socketIoTransport({ localAddress: clientAddress(k) }),
    logFilter: AgoraRTM.LOG_FILTER_OFF,
  });
  const channels = new Map();
  const channel = (id) => {
    let c = channels.get(id);
    if (!c) channels.set(id, (c = client.createChannel(id)));
    return c;
  };
  return {
    uid,
    login: () => client.login({ uid, token }),
    sendPeer: async (peerId, text) => (await client.sendMessageToPeer({ text }, peerId)).hasPeerReceived,
    onPeer: (listener) => client.on('MessageFromPeer', (message, peerId) => listener(message.text, peerId)),
    join: (id) => channel(id).join(),
    onChannelMessage: (id, listener) => channel(id).on('ChannelMessage', (message, memberId) => listener(message.text, memberId)),
    onMemberCount: (id, listener) => channel(id).on('MemberCountUpdated', listener),
    publish: (id, text) => channel(id).sendMessage({ text }),
    subscribe: (uids) => client.subscribePeersOnlineStatus(uids),
    setChannelAttribute: (id, key, value) =>
      client.addOrUpdateChannelAttributes(id, { [key]: value }, { enableNotificationToChannelMembers: true }),
    onChannelAttributes: (id, listener) => channel(id).on('AttributesUpdated', listener),
    close: () => void client.logout().catch(() => {}),
  };
}
