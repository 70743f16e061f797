import { errorCodeOf, type Ack, type ErrorCodeName } from '@rtm-kit/protocol';
import { CoreError, NotFoundError } from '../core/errors.js';
import type { MediaDirection } from '../core/media/media-service.js';

/*
 * How a media request's failure is answered, for every transport that carries media (the Node
 * HTTP handler, the in-process kit's fetch): the 1.x UploadMedia / DownloadMedia code in the body,
 * an HTTP status that says whose fault it was. No Node built-ins here: the in-process kit runs in
 * browsers.
 */

export interface MediaErrorAnswer {
  readonly status: number;
  readonly body: Ack<never>;
  /** Not a `CoreError`: a fault of the server's, to be logged; the client sees the generic code. */
  readonly internal: boolean;
}

/** The answer to a media request that threw `error`. */
export function mediaErrorAnswer(error: unknown, direction: MediaDirection): MediaErrorAnswer {
  const known = error instanceof CoreError;
  const name: ErrorCodeName = known ? error.codeName : direction === 'upload' ? 'UPLOAD_MEDIA_ERR_FAILURE' : 'DOWNLOAD_MEDIA_ERR_FAILURE';
  const message = known ? error.message : 'The server could not complete the request.';
  const status = error instanceof NotFoundError ? 404 : statusOf(name);
  return { status, body: { ok: false, error: { code: errorCodeOf(name), name, message } }, internal: !known };
}

/** A request with a method the route does not take. */
export function methodNotAllowed(direction: MediaDirection): CoreError {
  return new CoreError(direction === 'upload' ? 'UPLOAD_MEDIA_ERR_INVALID_ARGUMENT' : 'DOWNLOAD_MEDIA_ERR_INVALID_ARGUMENT', 'Method not allowed.');
}

/** The HTTP status of an UploadMedia / DownloadMedia code. */
function statusOf(name: ErrorCodeName): number {
  if (name.endsWith('_INVALID_ARGUMENT')) return 400;
  if (name.endsWith('_NOT_LOGGED_IN')) return 401;
  if (name.endsWith('_NOT_EXIST')) return 404;
  if (name.endsWith('_TIMEOUT')) return 408;
  if (name.endsWith('_SIZE_OVERFLOW')) return 413;
  if (name.endsWith('_CONCURRENCY_LIMIT_EXCEEDED')) return 429;
  return 500;
}
