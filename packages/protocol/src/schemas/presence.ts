import { z } from 'zod';
import { WIRE_BOUNDS } from './bounds.js';

/**
 * Structure and wire bounds only: ID rules and the 256/512 caps depend on `limits` and are checked
 * by the server core, which answers with the operation's own codes (INVALID_ARGUMENT, OVERFLOW).
 * A list past its bound (`bounds.ts`) is refused here, before any ID in it is looked at.
 */
const peerId = z.string().max(WIRE_BOUNDS.id);
const queried = z.array(peerId).max(WIRE_BOUNDS.queryPeers);
const subscribed = z.array(peerId).max(WIRE_BOUNDS.subscriptionPeers);

export const presenceSchemas = {
  'presence:query': z.object({ peers: queried }).strict(),
  'presence:subscribe': z.object({ peers: subscribed }).strict(),
  'presence:unsubscribe': z.object({ peers: subscribed }).strict(),
  'presence:listSubscriptions': z.object({}).strict(),
  'presence:restore': z.object({ peers: subscribed }).strict(),
};
