import type { Store } from '../../core/store.js';
import { MemorySessionStore } from './session-store.js';

/**
 * The embedded default: all state in this process. Each method runs to completion without
 * awaiting in between, which is what makes it atomic here; the Redis store gets the same from
 * transactions and scripts.
 *
 * What a restart loses: everything. Clients notice the lost session when they reconnect and log
 * in again on their own (a fresh session: the client re-joins channels, re-applies its user
 * attributes and subscriptions), so live state comes back. What does not come back without the
 * Redis store: offline messages, channel attributes, media and invitations in flight.
 */
export class MemoryStore implements Store {
  readonly sessions = new MemorySessionStore();

  async close(): Promise<void> {}
}
