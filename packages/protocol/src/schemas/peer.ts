import { z } from 'zod';
import { WIRE_BOUNDS } from './bounds.js';
import { wireMessageSchema } from './message.js';

/** A client-made message id: long enough to be unique, short enough to keep in a ledger. */
export const clientMessageId = z.string().min(8).max(64);

/**
 * Payload schemas of the peer domain's requests. Structure and wire bounds only: the peer ID rules
 * and the 32 KB rule depend on `limits` and are checked by the server core.
 */
export const peerSchemas = {
  'peer:send': z
    .object({
      id: clientMessageId,
      peerId: z.string().max(WIRE_BOUNDS.id),
      message: wireMessageSchema,
      offline: z.boolean(),
    })
    .strict(),
  'peer:fetch': z.object({ ack: z.array(z.string().min(1).max(64)).max(1000) }).strict(),
};
