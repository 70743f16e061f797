import { z } from 'zod';
import { WIRE_BOUNDS } from './bounds.js';

/**
 * Structure and wire bounds only: ID rules and the 8 KB content/response cap depend on `limits`
 * and are checked by the server core. A call ID is the caller's uuid; 64 characters leave room
 * for other forms.
 */
const callId = z.string().min(1).max(64);
const text = z.string().max(WIRE_BOUNDS.invitationText);
const id = z.string().max(WIRE_BOUNDS.id);

export const invitationSchemas = {
  'invitation:send': z.object({ callId, calleeId: id, content: text, channelId: id }).strict(),
  'invitation:cancel': z.object({ callId, content: text }).strict(),
  'invitation:confirm': z.object({ callId }).strict(),
  'invitation:accept': z.object({ callId, response: text }).strict(),
  'invitation:refuse': z.object({ callId, response: text }).strict(),
  'invitation:sync': z.object({ asCaller: z.array(callId).max(1_000), asCallee: z.array(callId).max(1_000) }).strict(),
};
