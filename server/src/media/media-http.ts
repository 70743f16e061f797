import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { MEDIA_HTTP, type Ack } from '@rtm-kit/protocol';
import { CoreError } from '../core/errors.js';
import { mediaErrorAnswer, methodNotAllowed, type MediaErrorAnswer } from './media-errors.js';
import { requestPath } from '../http/request-path.js';
import type { MediaCredentials, MediaDirection, MediaService } from '../core/media/media-service.js';

export interface MediaHttpOptions {
  /** Origins allowed for browser clients, as `startServer({ cors })`; default: any. */
  readonly cors?: { readonly origin: string | string[] | boolean } | undefined;
  readonly log: { error(message: string, detail?: unknown): void };
}

/** Answers a request if it is a media request; returns false for any other path. */
export type MediaHttpHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

const H = MEDIA_HTTP.headers;
const ALLOWED_HEADERS = [H.appId, H.uid, H.session, H.size, H.offset, 'content-type'].join(', ');

/**
 * The HTTP side of media (the `MEDIA_HTTP` contract): routes, credentials, CORS and the mapping of
 * the UploadMedia / DownloadMedia codes to HTTP statuses. Bodies stream straight between the
 * socket and storage; nothing here holds a whole file.
 */
export function createMediaHttpHandler(service: MediaService, options: MediaHttpOptions): MediaHttpHandler {
  const cors = options.cors?.origin ?? true;
  return (req, res) => {
    const path = requestPath(req.url);
    if (path === null) return false;
    if (path !== MEDIA_HTTP.mediaPath && !path.startsWith(`${MEDIA_HTTP.mediaPath}/`)) return false;
    const origin = allowedOrigin(req.headers.origin, cors);
    if (origin !== null) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', 'content-length, content-type');
      res.setHeader('vary', 'origin');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST, PUT, DELETE',
        'access-control-allow-headers': ALLOWED_HEADERS,
        'access-control-max-age': '600',
      });
      res.end();
      return true;
    }
    const direction: MediaDirection = path.startsWith(MEDIA_HTTP.uploadsPath) ? 'upload' : 'download';
    route(service, req, res, path).catch((error: unknown) => {
      const answer = mediaErrorAnswer(error, direction);
      if (answer.internal) options.log.error(`media ${req.method ?? ''} request failed`, error);
      fail(req, res, answer);
    });
    return true;
  };
}

async function route(service: MediaService, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const method = req.method ?? 'GET';
  if (path === MEDIA_HTTP.uploadsPath) {
    if (method !== 'POST') throw methodNotAllowed('upload');
    const user = await service.authenticate(credentials(req), 'upload');
    const started = await service.startUpload(user, integerHeader(req, H.size));
    sendJson(res, 201, { ok: true, data: started });
    return;
  }
  if (path.startsWith(`${MEDIA_HTTP.uploadsPath}/`)) {
    const uploadId = path.slice(MEDIA_HTTP.uploadsPath.length + 1);
    const user = await service.authenticate(credentials(req), 'upload');
    if (method === 'PUT') {
      const contentLength = req.headers['content-length'] === undefined ? null : integerHeader(req, 'content-length');
      // The body is read through an iterator that does not destroy the request when the cap
      // stops it, so the size error can still be answered before the connection closes.
      const body = req.iterator({ destroyOnReturn: false });
      const progress = await service.appendChunk(user, uploadId, integerHeader(req, H.offset), contentLength, body);
      sendJson(res, 200, { ok: true, data: progress });
      return;
    }
    if (method === 'DELETE') {
      await service.cancelUpload(user, uploadId);
      res.writeHead(204).end();
      return;
    }
    throw methodNotAllowed('upload');
  }
  if (method !== 'GET') throw methodNotAllowed('download');
  const mediaId = path.slice(MEDIA_HTTP.mediaPath.length + 1);
  const user = await service.authenticate(credentials(req), 'download');
  const download = await service.openDownload(user, mediaId);
  try {
    res.writeHead(200, {
      'content-type': download.media.contentType,
      'content-length': String(download.media.size),
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
    });
    await pipeline(download.body, res);
  } catch (error) {
    // The downloader went away mid-file: nothing to answer.
    res.destroy();
    if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
  } finally {
    download.release();
  }
}

function credentials(req: IncomingMessage): MediaCredentials | null {
  const appId = req.headers[H.appId];
  const uid = req.headers[H.uid];
  const sessionId = req.headers[H.session];
  if (typeof appId !== 'string' || typeof uid !== 'string' || typeof sessionId !== 'string') return null;
  try {
    return { appId, uid: decodeURIComponent(uid), sessionId };
  } catch {
    return null;
  }
}

function integerHeader(req: IncomingMessage, name: string): number {
  const value = req.headers[name];
  const n = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) {
    const direction = req.url?.startsWith(MEDIA_HTTP.uploadsPath) ? 'UPLOAD' : 'DOWNLOAD';
    throw new CoreError(`${direction}_MEDIA_ERR_INVALID_ARGUMENT`, `The ${name} header must be a whole number of bytes.`);
  }
  return n;
}

function fail(req: IncomingMessage, res: ServerResponse, { status, body }: MediaErrorAnswer): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  // A request body we did not read to the end (a chunk cut off at the cap, a refused upload) is
  // not drained: the connection closes after the answer.
  const close = !req.complete;
  sendJson(res, status, body, close);
}

function sendJson(res: ServerResponse, status: number, body: Ack<unknown>, close = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(text);
}

/** HTTP statuses for the UploadMedia / DownloadMedia codes (§8), so proxies and logs make sense. */

function allowedOrigin(origin: string | undefined, allowed: string | string[] | boolean): string | null {
  if (origin === undefined || allowed === false) return null;
  if (allowed === true) return origin;
  const list = Array.isArray(allowed) ? allowed : [allowed];
  return list.includes(origin) ? origin : null;
}
