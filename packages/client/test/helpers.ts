import type { ConnectionChangeReason, ConnectionState } from '@rtm-kit/protocol';
import type { RtmClient } from '@rtm-kit/client';
import { socketIoTransport, type Transport, type TransportSocket } from '@rtm-kit/client';

export const APP_ID = '0123456789abcdef0123456789abcdef';
export const CERT = 'fedcba9876543210fedcba9876543210';
export const OTHER_APP_ID = 'abcdefabcdefabcdefabcdefabcdef01';

/** Records every ConnectionStateChanged as "STATE/REASON". */
export function recordStates(client: RtmClient): string[] {
  const seen: string[] = [];
  client.on('ConnectionStateChanged', (state: ConnectionState, reason: ConnectionChangeReason) => {
    seen.push(`${state}/${reason}`);
  });
  return seen;
}

/** Polls until `check` is true, failing after `ms`. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 5_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  for (let i = 0; i < 10_000; i++) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** A socket.io transport that keeps hold of its sockets so a test can cut the network. */
export function tappedTransport(): { transport: Transport; sockets: TransportSocket[]; drop(): void } {
  const sockets: TransportSocket[] = [];
  const inner = socketIoTransport();
  return {
    sockets,
    transport: (options) => {
      const socket = inner(options);
      sockets.push(socket);
      return socket;
    },
    /** Close the underlying connection as a network failure would; socket.io reconnects. */
    drop() {
      const socket = sockets.at(-1) as unknown as { io: { engine: { close(): void } } };
      socket.io.engine.close();
    },
  };
}
