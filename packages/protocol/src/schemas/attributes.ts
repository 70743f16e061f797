import { z } from 'zod';

/**
 * Structure only: attribute counts, sizes and key rules depend on `limits` and are checked by
 * the server core with the shared rules of `attributes.ts`, so the answer carries the right code
 * (INVALID_ARGUMENT or SIZE_OVERFLOW) instead of a generic schema failure. The socket.io packet
 * cap bounds how much any payload can hold.
 */
const entries = z.array(z.tuple([z.string(), z.string()]));
const keys = z.array(z.string());
const channelId = z.string();

export const attributesSchemas = {
  'attributes:setUser': z.object({ attributes: entries }).strict(),
  'attributes:addOrUpdateUser': z.object({ attributes: entries }).strict(),
  'attributes:deleteUser': z.object({ keys }).strict(),
  'attributes:clearUser': z.object({}).strict(),
  'attributes:getUser': z.object({ uid: z.string(), keys: keys.nullable() }).strict(),
  'attributes:setChannel': z.object({ channelId, attributes: entries, notify: z.boolean() }).strict(),
  'attributes:addOrUpdateChannel': z.object({ channelId, attributes: entries, notify: z.boolean() }).strict(),
  'attributes:deleteChannel': z.object({ channelId, keys, notify: z.boolean() }).strict(),
  'attributes:clearChannel': z.object({ channelId, notify: z.boolean() }).strict(),
  'attributes:getChannel': z.object({ channelId, keys: keys.nullable() }).strict(),
};
