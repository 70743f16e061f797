/** Media IDs and the session check of media requests (both from `../secrets.js`). */
import { randomToken, sameSecret } from '../secrets.js';

/** A media ID: `MEDIA_ID_PATTERN`. */
export function newMediaId(): string {
  return randomToken();
}

/** Session IDs of media requests are compared in constant time (see `sameSecret`). */
export { sameSecret };
