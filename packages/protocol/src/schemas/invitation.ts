import { z } from 'zod';

/**
 * Structure only: ID rules and the 8 KB content/response cap depend on `limits` and are checked
 * by the server core. A call ID is the caller's uuid; 64 characters leave room for other forms.
 */
const callId = z.string().min(1).max(64);

export const invitationSchemas = {
  'invitation:send': z.object({ callId, calleeId: z.string(), content: z.string(), channelId: z.string() }).strict(),
  'invitation:cancel': z.object({ callId, content: z.string() }).strict(),
  'invitation:confirm': z.object({ callId }).strict(),
  'invitation:accept': z.object({ callId, response: z.string() }).strict(),
  'invitation:refuse': z.object({ callId, response: z.string() }).strict(),
  'invitation:sync': z.object({ asCaller: z.array(callId).max(1_000), asCallee: z.array(callId).max(1_000) }).strict(),
};
