import AgoraRTM, { socketIoTransport, type RtmClient, type Transport, type TransportSocket } from '@rtm-kit/client';

export const APP_ID = '0123456789abcdef0123456789abcdef';
export const CERT = 'fedcba9876543210fedcba9876543210';

/** Client config for tests: logs off, pointed at the test server. */
export function clientConfig(serverUrl: string, transport?: Transport) {
  return {
    serverUrl,
    logFilter: AgoraRTM.LOG_FILTER_OFF,
    ...(transport === undefined ? {} : { transport }),
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A socket.io transport that counts what the client sends by event name, and how many
 * sockets (one per login) it opened.
 */
export function countingTransport(): { transport: Transport; count(event: string): number; sockets(): number } {
  const sent = new Map<string, number>();
  let opened = 0;
  const inner = socketIoTransport();
  return {
    count: (event) => sent.get(event) ?? 0,
    sockets: () => opened,
    transport: (options) => {
      opened++;
      const socket = inner(options);
      return new Proxy(socket, {
        get(target, property) {
          if (property === 'emit') {
            return (event: string, ...args: unknown[]) => {
              sent.set(event, (sent.get(event) ?? 0) + 1);
              return target.emit(event, ...args);
            };
          }
          const value: unknown = Reflect.get(target, property, target);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      }) as TransportSocket;
    },
  };
}

/** Every ConnectionStateChanged of a client as "STATE/REASON". */
export function recordStates(client: RtmClient): string[] {
  const seen: string[] = [];
  client.on('ConnectionStateChanged', (state, reason) => seen.push(`${state}/${reason}`));
  return seen;
}

/** A socket.io transport that keeps its sockets so a test can cut the network under a client. */
export function droppableTransport(): { transport: Transport; drop(): void } {
  const sockets: TransportSocket[] = [];
  const inner = socketIoTransport();
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
  };
}
