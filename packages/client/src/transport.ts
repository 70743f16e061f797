import { io } from 'socket.io-client';
import type { AuthPayload } from '@rtm-kit/protocol';

/**
 * The socket the client talks through. socket.io-client's `Socket` satisfies it; an in-process
 * transport (Storybook, tests of apps) can implement it without a network.
 */
export interface TransportSocket {
  readonly connected: boolean;
  /** True while the socket will keep trying to (re)connect by itself. */
  readonly active: boolean;
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener?: (...args: never[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  connect(): unknown;
  disconnect(): unknown;
  /**
   * How media uploads and downloads reach the server, with `fetch`'s signature. Optional: without
   * it they use the global `fetch` against `serverUrl`. An in-process server answers them here,
   * so its clients need no network at all.
   */
  fetch?(input: URL, init: RequestInit): Promise<Response>;
}

export interface TransportOptions {
  readonly url: string;
  /** Called for every (re)connection attempt: the handshake carries the latest token and session. */
  readonly auth: () => AuthPayload;
  readonly reconnectDelayMs: number;
  readonly reconnectDelayMaxMs: number;
}

/** Opens a socket that is not connected yet; the client calls `connect()`. */
export type Transport = (options: TransportOptions) => TransportSocket;

/**
 * The default transport: socket.io over WebSocket only, so a fleet behind a load balancer needs
 * no sticky sessions. Each client gets its own connection (`forceNew`), even to the same URL.
 */
export function socketIoTransport(extra: Record<string, unknown> = {}): Transport {
  return ({ url, auth, reconnectDelayMs, reconnectDelayMaxMs }) =>
    io(url, {
      autoConnect: false,
      forceNew: true,
      transports: ['websocket'],
      reconnection: true,
      reconnectionDelay: reconnectDelayMs,
      reconnectionDelayMax: reconnectDelayMaxMs,
      auth: (cb: (data: object) => void) => cb(auth()),
      ...extra,
    });
}
