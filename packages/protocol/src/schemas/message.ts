import { z } from 'zod';
import { WIRE_BOUNDS } from './bounds.js';

const PART = WIRE_BOUNDS.messagePart;

/** Binary parts arrive as Buffer (a Uint8Array) in Node and Uint8Array/ArrayBuffer elsewhere. */
const bytes = z
  .custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'expected binary data' })
  .refine((v) => v.byteLength <= PART, { message: `Too big: expected at most ${PART} bytes` });
const part = z.string().max(PART);

/** Structure and wire bounds; the 32 KB rule is checked by the server core with the configured limit. */
export const wireMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('TEXT'), text: part }).strict(),
  z.object({ type: z.literal('RAW'), raw: bytes, description: part }).strict(),
  z
    .object({
      type: z.enum(['FILE', 'IMAGE']),
      mediaId: z.string().min(1).max(128),
      size: z.number().int().nonnegative(),
      fileName: part,
      description: part,
      thumbnail: bytes.nullable(),
      width: z.number().int().nonnegative(),
      height: z.number().int().nonnegative(),
      thumbnailWidth: z.number().int().nonnegative(),
      thumbnailHeight: z.number().int().nonnegative(),
    })
    .strict(),
]);
