import type { z } from 'zod';
import type { ClientEventName, RequestPayload } from '../events/index.js';
import { attributesSchemas } from './attributes.js';
import { channelSchemas } from './channel.js';
import { invitationSchemas } from './invitation.js';
import { mediaSchemas } from './media.js';
import { peerSchemas } from './peer.js';
import { presenceSchemas } from './presence.js';
import { sessionSchemas } from './session.js';

export { authPayloadSchema } from './session.js';
export { wireMessageSchema } from './message.js';
export { WIRE_BOUNDS, limitsOverWireBounds } from './bounds.js';

/**
 * One schema per client event. The server validates every payload against this table before
 * any handler runs; an event missing here is refused.
 */
export const clientEventSchemas: { readonly [E in ClientEventName]: z.ZodType<RequestPayload<E>> } = {
  ...sessionSchemas,
  ...peerSchemas,
  ...channelSchemas,
  ...attributesSchemas,
  ...presenceSchemas,
  ...invitationSchemas,
  ...mediaSchemas,
};
