import type { Transport } from './transport.js';
import { webSocketTransport } from './web-socket-transport.js';

/**
 * `transport.ts` in browser bundles (package.json `browser`, and the script-tag build): the
 * default transport is the WebSocket-only socket.io client, so socket.io-client's long-polling
 * and WebTransport code stay out of the bundle. Of socket.io-client's options only `path` applies.
 */
export function socketIoTransport(extra: Record<string, unknown> = {}): Transport {
  return webSocketTransport(extra);
}
