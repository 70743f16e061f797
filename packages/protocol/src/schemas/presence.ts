import { z } from 'zod';

/**
 * Structure only: ID rules and the 256/512 caps depend on `limits` and are checked by the server
 * core, which answers with the operation's own codes (INVALID_ARGUMENT, OVERFLOW).
 */
const peers = z.array(z.string());

export const presenceSchemas = {
  'presence:query': z.object({ peers }).strict(),
  'presence:subscribe': z.object({ peers }).strict(),
  'presence:unsubscribe': z.object({ peers }).strict(),
  'presence:listSubscriptions': z.object({}).strict(),
  'presence:restore': z.object({ peers }).strict(),
};
