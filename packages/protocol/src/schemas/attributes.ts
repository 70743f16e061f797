import { z } from 'zod';
import { WIRE_BOUNDS } from './bounds.js';

/**
 * Structure and wire bounds only: attribute counts, sizes and key rules depend on `limits` and
 * are checked by the server core with the shared rules of `attributes.ts`, so the answer carries
 * the right code (INVALID_ARGUMENT or SIZE_OVERFLOW) instead of a generic schema failure. The
 * bounds (`bounds.ts`) sit well above those limits and only stop requests too large to be worth
 * checking item by item.
 */
const key = z.string().max(WIRE_BOUNDS.attributeKey);
const entries = z.array(z.tuple([key, z.string().max(WIRE_BOUNDS.attributeValue)])).max(WIRE_BOUNDS.attributeEntries);
const keys = z.array(key).max(WIRE_BOUNDS.attributeKeys);
const channelId = z.string().max(WIRE_BOUNDS.id);

export const attributesSchemas = {
  'attributes:setUser': z.object({ attributes: entries }).strict(),
  'attributes:addOrUpdateUser': z.object({ attributes: entries }).strict(),
  'attributes:deleteUser': z.object({ keys }).strict(),
  'attributes:clearUser': z.object({}).strict(),
  'attributes:getUser': z.object({ uid: z.string().max(WIRE_BOUNDS.id), keys: keys.nullable() }).strict(),
  'attributes:setChannel': z.object({ channelId, attributes: entries, notify: z.boolean() }).strict(),
  'attributes:addOrUpdateChannel': z.object({ channelId, attributes: entries, notify: z.boolean() }).strict(),
  'attributes:deleteChannel': z.object({ channelId, keys, notify: z.boolean() }).strict(),
  'attributes:clearChannel': z.object({ channelId, notify: z.boolean() }).strict(),
  'attributes:getChannel': z.object({ channelId, keys: keys.nullable() }).strict(),
};
