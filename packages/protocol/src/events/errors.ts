import { ATTRIBUTES_REQUEST_ERRORS } from './attributes.js';
import { CHANNEL_REQUEST_ERRORS } from './channel.js';
import type { ClientEventName } from './index.js';
import { INVITATION_REQUEST_ERRORS } from './invitation.js';
import { MEDIA_REQUEST_ERRORS } from './media.js';
import { PEER_REQUEST_ERRORS } from './peer.js';
import { PRESENCE_REQUEST_ERRORS } from './presence.js';
import type { RequestErrorCodes } from './request-errors.js';
import { SESSION_REQUEST_ERRORS } from './session.js';

export type { RequestErrorCodes } from './request-errors.js';

/** Every request's error codes, merged from the domains. */
export const REQUEST_ERRORS: { readonly [E in ClientEventName]: RequestErrorCodes } = {
  ...SESSION_REQUEST_ERRORS,
  ...PEER_REQUEST_ERRORS,
  ...CHANNEL_REQUEST_ERRORS,
  ...ATTRIBUTES_REQUEST_ERRORS,
  ...PRESENCE_REQUEST_ERRORS,
  ...INVITATION_REQUEST_ERRORS,
  ...MEDIA_REQUEST_ERRORS,
};
