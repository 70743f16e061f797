import { z } from 'zod';
import { PROTOCOL_VERSION } from '../events/session.js';

/** Structure only; sizes that `limits` can change are checked by the server core. */
export const authPayloadSchema = z
  .object({
    v: z.literal(PROTOCOL_VERSION),
    appId: z.string().max(256),
    uid: z.string().max(1024),
    token: z.string().max(65_536).nullable(),
    sessionId: z.string().max(128).nullable(),
    // Optional so that clients from before resume secrets can still log in (not resume).
    resumeSecret: z.string().max(128).nullable().optional(),
  })
  .strict();

export const sessionSchemas = {
  'session:logout': z.object({}),
  'session:renewToken': z.object({ token: z.string().max(65_536) }).strict(),
};
