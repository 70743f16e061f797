import { DEFAULT_LIMITS, SlidingWindow } from '@rtm-kit/protocol';

/**
 * What peer and channel messages share on the sending side: one budget (§9.2, §10.5: 180
 * messages per 3 s for both together, checked here before sending and enforced again by the
 * server) and ids that make a retry after a reconnect recognisable to the server.
 */
export class MessageBudget {
  readonly #window = new SlidingWindow(DEFAULT_LIMITS.messageRate);

  /** Count one message now; false when the budget is spent (nothing counted). */
  tryTake(): boolean {
    return this.#window.tryTake(Date.now());
  }
}

/**
 * A random message id (128 bits, hex). `crypto.getRandomValues` exists in every browser context
 * and in Node, unlike `randomUUID`, which browsers offer only on secure origins.
 */
export function newMessageId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let id = '';
  for (const b of bytes) id += b.toString(16).padStart(2, '0');
  return id;
}
