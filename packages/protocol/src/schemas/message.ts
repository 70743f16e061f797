import { z } from 'zod';

/** Binary parts arrive as Buffer (a Uint8Array) in Node and Uint8Array/ArrayBuffer elsewhere. */
const bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'expected binary data' });

/** Structure only; the 32 KB rule is checked by the server core with the configured limit. */
export const wireMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('TEXT'), text: z.string() }).strict(),
  z.object({ type: z.literal('RAW'), raw: bytes, description: z.string() }).strict(),
  z
    .object({
      type: z.enum(['FILE', 'IMAGE']),
      mediaId: z.string().min(1).max(128),
      size: z.number().int().nonnegative(),
      fileName: z.string(),
      description: z.string(),
      thumbnail: bytes.nullable(),
      width: z.number().int().nonnegative(),
      height: z.number().int().nonnegative(),
      thumbnailWidth: z.number().int().nonnegative(),
      thumbnailHeight: z.number().int().nonnegative(),
    })
    .strict(),
]);
