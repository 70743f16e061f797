import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { socketIoTransport, type Transport } from '@rtm-kit/client';

/** What the proxy does to the bytes it relays. */
export type ProxyMode =
  | { readonly kind: 'pass' }
  /** Stop relaying the server's answers (the network hangs). */
  | { readonly kind: 'stall' }
  /** Relay this many more bytes of the server's answers, then cut both connections. */
  | { readonly kind: 'cut'; readonly afterBytes: number }
  /** Relay both directions at this rate (a slow link). */
  | { readonly kind: 'throttle'; readonly bytesPerSecond: number };

export interface MediaProxy {
  /** Give this as the client's `serverUrl`: media requests then cross the proxy. */
  readonly url: string;
  set(mode: ProxyMode): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of the server, to put media transfers on a slow, hanging or broken
 * network. Only HTTP goes through it: `directTransport` keeps the client's socket.io connection
 * on the server itself.
 */
export async function startMediaProxy(serverUrl: string): Promise<MediaProxy> {
  const target = new URL(serverUrl);
  let mode: ProxyMode = { kind: 'pass' };
  let cutBudget = 0;
  const sockets = new Set<Socket>();

  const relay = (from: Socket, to: Socket, down: boolean, pair: () => void): void => {
    from.on('data', (chunk: Buffer) => {
      from.pause();
      void forward(chunk, to, down, pair).then(
        (go) => {
          if (go) from.resume();
        },
        () => pair(),
      );
    });
  };

  const forward = async (chunk: Buffer, to: Socket, down: boolean, cutBoth: () => void): Promise<boolean> => {
    const m = mode;
    if (m.kind === 'stall' && down) return false;
    if (m.kind === 'cut' && down) {
      const room = cutBudget;
      cutBudget -= chunk.length;
      if (cutBudget < 0) {
        if (room > 0) to.write(chunk.subarray(0, room));
        setTimeout(cutBoth, 20);
        return false;
      }
    }
    if (m.kind === 'throttle') {
      const slice = Math.max(1, Math.floor(m.bytesPerSecond / 20));
      for (let at = 0; at < chunk.length; at += slice) {
        if (to.destroyed) return false;
        to.write(chunk.subarray(at, at + slice));
        await new Promise((r) => setTimeout(r, 50));
      }
      return true;
    }
    if (!to.write(chunk)) await new Promise((r) => to.once('drain', r));
    return true;
  };

  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client);
    sockets.add(upstream);
    const both = () => {
      client.destroy();
      upstream.destroy();
    };
    relay(client, upstream, false, both);
    relay(upstream, client, true, both);
    client.on('close', () => {
      sockets.delete(client);
      upstream.destroy();
    });
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    client.on('error', both);
    upstream.on('error', both);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    set(next) {
      mode = next;
      if (next.kind === 'cut') cutBudget = next.afterBytes;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** socket.io straight to the server, whatever the client's `serverUrl` says. */
export function directTransport(serverUrl: string): Transport {
  const inner = socketIoTransport();
  return (options) => inner({ ...options, url: serverUrl });
}
