import { afterEach } from 'vitest';
import AgoraRTM, { socketIoTransport, type RtmChannel, type RtmClient, type RtmConfig, type Transport, type TransportSocket } from '@rtm-kit/client';
import { startServer, type RtmServer, type ServerOptions } from '@rtm-kit/server';
import { APP_ID } from './helpers.js';

/**
 * A server and clients for one test, cleaned up after it: every client logs out, the server
 * closes. `kit.client()` makes a client of that server with logs off.
 */
export function useKit(): {
  start(options?: ServerOptions): Promise<RtmServer>;
  readonly server: RtmServer;
  client(config?: RtmConfig): RtmClient;
  /** Log in a new client as `uid`. */
  user(uid: string, config?: RtmConfig): Promise<RtmClient>;
} {
  let server: RtmServer | null = null;
  const clients: RtmClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
    await server?.close();
    server = null;
  });
  const kit = {
    async start(options: ServerOptions = {}) {
      server = await startServer({ port: 0, logger: false, ...options });
      return server;
    },
    get server(): RtmServer {
      if (!server) throw new Error('start the server first');
      return server;
    },
    client(config: RtmConfig = {}) {
      const c = AgoraRTM.createInstance(APP_ID, { serverUrl: kit.server.url, logFilter: AgoraRTM.LOG_FILTER_OFF, ...config });
      clients.push(c);
      return c;
    },
    async user(uid: string, config: RtmConfig = {}) {
      const c = kit.client(config);
      await c.login({ uid });
      return c;
    },
  };
  return kit;
}

/** Every `MessageFromPeer` of a client, as `[text or description, peerId, props]`. */
export function peerInbox(client: RtmClient): Array<{ text: string; from: string; offline: boolean; serverReceivedTs: number }> {
  const inbox: Array<{ text: string; from: string; offline: boolean; serverReceivedTs: number }> = [];
  client.on('MessageFromPeer', (message, from, props) => {
    const text = 'text' in message ? message.text : `[${message.messageType}]`;
    inbox.push({ text, from, offline: props.isOfflineMessage, serverReceivedTs: props.serverReceivedTs });
  });
  return inbox;
}

/** Every `ChannelMessage` of a channel, as text and sender. */
export function channelInbox(channel: RtmChannel): Array<{ text: string; from: string }> {
  const inbox: Array<{ text: string; from: string }> = [];
  channel.on('ChannelMessage', (message, from) => {
    inbox.push({ text: 'text' in message ? message.text : `[${message.messageType}]`, from });
  });
  return inbox;
}

/** Everything a channel reports, in order, as short strings ("joined:bob", "count:2", "msg:bob:hi"). */
export function channelLog(channel: RtmChannel): string[] {
  const log: string[] = [];
  channel.on('MemberJoined', (id) => log.push(`joined:${id}`));
  channel.on('MemberLeft', (id) => log.push(`left:${id}`));
  channel.on('MemberCountUpdated', (n) => log.push(`count:${n}`));
  channel.on('ChannelMessage', (m, from) => log.push(`msg:${from}:${'text' in m ? m.text : m.messageType}`));
  return log;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A socket.io transport whose connection only comes back when the test says so: `drop()` cuts
 * the network as a failure would, `reconnect()` lets the client connect again. Deterministic
 * where socket.io's own randomized backoff is not.
 */
export function manualTransport(): { transport: Transport; drop(): void; reconnect(): void } {
  const sockets: TransportSocket[] = [];
  const inner = socketIoTransport({ reconnection: false });
  return {
    transport: (options) => {
      const socket = inner(options);
      sockets.push(socket);
      return socket;
    },
    drop() {
      const socket = sockets.at(-1) as unknown as { io: { engine: { close(): void } } };
      socket.io.engine.close();
    },
    reconnect() {
      sockets.at(-1)?.connect();
    },
  };
}
