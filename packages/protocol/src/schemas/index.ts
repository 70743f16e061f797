import type { z } from 'zod';
import type { ClientEventName, RequestPayload } from '../events/index.js';
import { sessionSchemas } from './session.js';

export { authPayloadSchema } from './session.js';

/**
 * One schema per client event. The server validates every payload against this table before
 * any handler runs; an event missing here is refused.
 */
export const clientEventSchemas: { readonly [E in ClientEventName]: z.ZodType<RequestPayload<E>> } = {
  ...sessionSchemas,
};
