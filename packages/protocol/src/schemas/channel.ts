import { z } from 'zod';
import { WIRE_BOUNDS } from './bounds.js';
import { wireMessageSchema } from './message.js';
import { clientMessageId } from './peer.js';

/** Any string up to the wire bound; the ID rules (which `limits` can change) are the core's. */
const channelId = z.string().max(WIRE_BOUNDS.id);

/** Payload schemas of the channel domain's requests. Structure and wire bounds; limits are the core's. */
export const channelSchemas = {
  'channel:join': z.object({ channelId }).strict(),
  'channel:leave': z.object({ channelId }).strict(),
  'channel:send': z.object({ id: clientMessageId, channelId, message: wireMessageSchema }).strict(),
  'channel:getMembers': z.object({ channelId }).strict(),
  'channel:getMemberCount': z.object({ channelIds: z.array(channelId).max(WIRE_BOUNDS.memberCountChannels) }).strict(),
  'channel:resume': z
    .object({
      channels: z
        .array(z.object({ channelId, lastSeq: z.number().int().nonnegative().nullable() }).strict())
        .max(WIRE_BOUNDS.resumeChannels),
    })
    .strict(),
};
