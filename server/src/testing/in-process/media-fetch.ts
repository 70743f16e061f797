import { MEDIA_HTTP, type Ack } from '@rtm-kit/protocol';
import { CoreError } from '../../core/errors.js';
import { mediaErrorAnswer, methodNotAllowed } from '../../media/media-errors.js';
import type { MediaCredentials, MediaDirection, MediaService } from '../../core/media/media-service.js';
import { requestPath } from '../../http/request-path.js';

/** `fetch`'s signature. */
export type FetchFunction = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

const H = MEDIA_HTTP.headers;

/**
 * The media endpoints (the `MEDIA_HTTP` contract) as a `fetch` function over the core's
 * `MediaService`, for clients of the in-process server: the same routes, credentials, codes and
 * HTTP statuses as the Node server's HTTP handler, with no network. Request bodies are read as
 * they stream in and a download streams out, so progress, cancellation (the request's `signal`)
 * and the per-chunk byte cap behave as over HTTP. Any other path is a 404.
 */
export function createMediaFetch(
  media: () => MediaService | null,
  log: (message: string, error: unknown) => void,
  bytesPerSecond = Infinity,
): FetchFunction {
  return async (input, init) => {
    const request = new Request(input, init);
    const signal = request.signal;
    signal.throwIfAborted();
    const service = media();
    const path = requestPath(new URL(request.url).pathname);
    if (service === null || path === null || (path !== MEDIA_HTTP.mediaPath && !path.startsWith(`${MEDIA_HTTP.mediaPath}/`))) {
      return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    }
    const direction: MediaDirection = path.startsWith(MEDIA_HTTP.uploadsPath) ? 'upload' : 'download';
    const aborted = new Promise<never>((_, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
    aborted.catch(() => undefined);
    try {
      return await Promise.race([route(service, request, path, signal, bytesPerSecond), aborted]);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const answer = mediaErrorAnswer(error, direction);
      if (answer.internal) log(`media ${request.method} request failed`, error);
      return json(answer.status, answer.body);
    }
  };
}

async function route(service: MediaService, request: Request, path: string, signal: AbortSignal, bytesPerSecond: number): Promise<Response> {
  const method = request.method;
  if (path === MEDIA_HTTP.uploadsPath) {
    if (method !== 'POST') throw methodNotAllowed('upload');
    const user = await service.authenticate(credentials(request), 'upload');
    const started = await service.startUpload(user, integerHeader(request, H.size, 'upload'));
    return json(201, { ok: true, data: started });
  }
  if (path.startsWith(`${MEDIA_HTTP.uploadsPath}/`)) {
    const uploadId = path.slice(MEDIA_HTTP.uploadsPath.length + 1);
    const user = await service.authenticate(credentials(request), 'upload');
    if (method === 'PUT') {
      const contentLength = request.headers.has('content-length') ? integerHeader(request, 'content-length', 'upload') : null;
      const offset = integerHeader(request, H.offset, 'upload');
      const body = throttled(bodyOf(request, signal), bytesPerSecond, signal);
      const progress = await service.appendChunk(user, uploadId, offset, contentLength, body);
      return json(200, { ok: true, data: progress });
    }
    if (method === 'DELETE') {
      await service.cancelUpload(user, uploadId);
      return new Response(null, { status: 204 });
    }
    throw methodNotAllowed('upload');
  }
  if (method !== 'GET') throw methodNotAllowed('download');
  const mediaId = path.slice(MEDIA_HTTP.mediaPath.length + 1);
  const user = await service.authenticate(credentials(request), 'download');
  const download = await service.openDownload(user, mediaId);
  const iterator = throttled(download.body, bytesPerSecond, signal)[Symbol.asyncIterator]();
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    download.release();
    void iterator.return(undefined);
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // An aborted fetch fails the read of its body, as a download cut off mid-file does.
      signal.addEventListener('abort', () => {
        if (stopped) return;
        stop();
        controller.error(signal.reason);
      }, { once: true });
    },
    async pull(controller) {
      try {
        const step = await iterator.next();
        if (stopped) return;
        if (step.done) {
          stop();
          controller.close();
        } else controller.enqueue(new Uint8Array(step.value));
      } catch (error) {
        stop();
        controller.error(error);
      }
    },
    cancel: stop,
  });
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': download.media.contentType,
      'content-length': String(download.media.size),
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}

/** The request body piece by piece; a request aborted mid-body fails, as a cut connection does. */
async function* bodyOf(request: Request, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  if (!request.body) return;
  const reader = request.body.getReader();
  const aborted = new Promise<never>((_, reject) => {
    signal.addEventListener('abort', () => reject(new Error('the request was aborted')), { once: true });
  });
  aborted.catch(() => undefined);
  try {
    for (;;) {
      if (signal.aborted) throw new Error('the request was aborted');
      const step = await Promise.race([reader.read(), aborted]);
      if (step.done) return;
      yield step.value;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

/** Passes bytes on at most `bytesPerSecond`, in pieces of a tenth of a second, as a slow link would. */
async function* throttled(source: AsyncIterable<Uint8Array>, bytesPerSecond: number, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  if (bytesPerSecond === Infinity) {
    yield* source;
    return;
  }
  const piece = Math.max(1, Math.floor(bytesPerSecond / 10));
  for await (const chunk of source) {
    for (let at = 0; at < chunk.byteLength; at += piece) {
      const part = chunk.subarray(at, at + piece);
      signal.throwIfAborted();
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          clearTimeout(timer);
          reject(new Error('the request was aborted'));
        };
        const timer = setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        }, (part.byteLength / bytesPerSecond) * 1000);
        signal.addEventListener('abort', onAbort, { once: true });
      });
      yield part;
    }
  }
}

function credentials(request: Request): MediaCredentials | null {
  const appId = request.headers.get(H.appId);
  const uid = request.headers.get(H.uid);
  const sessionId = request.headers.get(H.session);
  if (appId === null || uid === null || sessionId === null) return null;
  try {
    return { appId, uid: decodeURIComponent(uid), sessionId };
  } catch {
    return null;
  }
}

function integerHeader(request: Request, name: string, direction: MediaDirection): number {
  const value = request.headers.get(name);
  const n = value !== null && /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) {
    throw new CoreError(direction === 'upload' ? 'UPLOAD_MEDIA_ERR_INVALID_ARGUMENT' : 'DOWNLOAD_MEDIA_ERR_INVALID_ARGUMENT', `The ${name} header must be a whole number of bytes.`);
  }
  return n;
}


function json(status: number, body: Ack<unknown>): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } });
}

