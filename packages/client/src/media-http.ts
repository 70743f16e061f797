import { MEDIA_HTTP, type Ack, type MediaInfo, type MediaUploadProgress, type MediaUploadStarted, type WireError } from '@rtm-kit/protocol';
import { fromWire, rtmError } from './errors.js';
import type { Transfer, TransferCodes } from './media-transfer.js';

/** What each media request presents to act as the session (`Connection.httpSession`). */
export interface HttpSession {
  readonly serverUrl: string;
  readonly appId: string;
  readonly uid: string;
  readonly sessionId: string;
  /** The transport's way to the server (`TransportSocket.fetch`); the global `fetch` without one. */
  readonly fetch?: ((input: URL, init: RequestInit) => Promise<Response>) | undefined;
}

/**
 * Uploads go in chunks, each a plain `fetch` with a Blob slice as its body. Why chunks rather than
 * one streamed request: browsers cannot stream a fetch request body over HTTP/1.1 and report no
 * upload progress for fetch, and XMLHttpRequest (which has progress) does not exist in Node. With
 * chunks, one code path gives real progress (bytes the server has confirmed) and prompt
 * cancellation (abort the chunk in flight) in both. Each chunk is sized to take about a second,
 * so progress arrives about once a second on any link, within what the server accepts per chunk.
 */
const FIRST_CHUNK_BYTES = 256 * 1024;
const MIN_CHUNK_BYTES = 64 * 1024;
const CHUNK_TARGET_MS = 1_000;
/** How long the best-effort cancel of a failed upload may take. */
const CANCEL_TIMEOUT_MS = 1_000;

export const UPLOAD_CODES: TransferCodes = {
  failure: 'UPLOAD_MEDIA_ERR_FAILURE',
  timeout: 'UPLOAD_MEDIA_ERR_TIMEOUT',
  interrupted: 'UPLOAD_MEDIA_ERR_INTERRUPTED',
  notLoggedIn: 'UPLOAD_MEDIA_ERR_NOT_LOGGED_IN',
  concurrency: 'UPLOAD_MEDIA_ERR_CONCURRENCY_LIMIT_EXCEEDED',
};

export const DOWNLOAD_CODES: TransferCodes = {
  failure: 'DOWNLOAD_MEDIA_ERR_FAILURE',
  timeout: 'DOWNLOAD_MEDIA_ERR_TIMEOUT',
  interrupted: 'DOWNLOAD_MEDIA_ERR_INTERRUPTED',
  notLoggedIn: 'DOWNLOAD_MEDIA_ERR_NOT_LOGGED_IN',
  concurrency: 'DOWNLOAD_MEDIA_ERR_CONCURRENCY_LIMIT_EXCEEDED',
};

/** Upload `file` and resolve with what the server stored. */
export async function uploadMedia(session: () => HttpSession | null, file: Blob, transfer: Transfer): Promise<MediaInfo> {
  const started = await requestJson<MediaUploadStarted>(session, transfer, UPLOAD_CODES, MEDIA_HTTP.uploadsPath, {
    method: 'POST',
    headers: { [MEDIA_HTTP.headers.size]: String(file.size) },
  });
  const path = `${MEDIA_HTTP.uploadsPath}/${started.uploadId}`;
  let offset = 0;
  let chunkBytes = Math.min(FIRST_CHUNK_BYTES, started.chunkMaxBytes);
  try {
    for (let guard = 0; guard < 1_000_000; guard++) {
      const end = Math.min(file.size, offset + chunkBytes);
      const sentAt = Date.now();
      const answer = await requestJson<MediaUploadProgress>(session, transfer, UPLOAD_CODES, path, {
        method: 'PUT',
        headers: { [MEDIA_HTTP.headers.offset]: String(offset), 'content-type': 'application/octet-stream' },
        body: file.slice(offset, end),
      });
      if (answer.received !== end) throw new Error(`the server confirmed ${answer.received} bytes, not ${end}`);
      offset = end;
      if (answer.media) {
        transfer.done(file.size);
        return answer.media;
      }
      transfer.progress(offset, file.size);
      chunkBytes = nextChunkBytes(chunkBytes, Date.now() - sentAt, started.chunkMaxBytes);
    }
    throw new Error('the upload did not finish');
  } catch (error) {
    // The server drops a failed upload by itself; this frees its bytes and our slot at once when
    // we stopped it (cancel, stall) and it does not know yet.
    await cancelUpload(session, path);
    throw error;
  }
}

/** Download media and resolve with its bytes, typed with the content type the server detected. */
export async function downloadMedia(session: () => HttpSession | null, mediaId: string, transfer: Transfer): Promise<Blob> {
  const response = await send(session, transfer, DOWNLOAD_CODES, `${MEDIA_HTTP.mediaPath}/${encodeURIComponent(mediaId)}`, { method: 'GET' });
  if (!response.ok) throw await errorOf(response, DOWNLOAD_CODES);
  const totalSize = Number(response.headers.get('content-length'));
  const type = response.headers.get('content-type') ?? '';
  if (!response.body || !Number.isSafeInteger(totalSize)) throw transfer.error(new Error('the server sent no length'));
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  const reader = response.body.getReader();
  try {
    for (let guard = 0; guard < 100_000_000; guard++) {
      transfer.touch();
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value as Uint8Array<ArrayBuffer>); // fetch bodies never share memory
      received += value.byteLength;
      transfer.progress(received, totalSize);
    }
  } catch (error) {
    throw transfer.error(error);
  } finally {
    reader.releaseLock();
  }
  if (received !== totalSize) throw transfer.error(new Error(`the download ended after ${received} of ${totalSize} bytes`));
  transfer.done(totalSize);
  return new Blob(parts, { type });
}

/** Chunks that take about `CHUNK_TARGET_MS`, growing or shrinking at most fourfold per step. */
function nextChunkBytes(current: number, tookMs: number, max: number): number {
  const scale = Math.min(4, Math.max(0.25, CHUNK_TARGET_MS / Math.max(1, tookMs)));
  return Math.round(Math.min(max, Math.max(MIN_CHUNK_BYTES, current * scale)));
}

async function cancelUpload(session: () => HttpSession | null, path: string): Promise<void> {
  const s = session();
  if (!s) return;
  try {
    await fetchOf(s)(new URL(path, s.serverUrl), { method: 'DELETE', headers: authHeaders(s), signal: AbortSignal.timeout(CANCEL_TIMEOUT_MS) });
  } catch {
    // The server sweeps an abandoned upload after `mediaUploadIdleMs` anyway.
  }
}

async function requestJson<T>(
  session: () => HttpSession | null,
  transfer: Transfer,
  codes: TransferCodes,
  path: string,
  init: { method: string; headers: Record<string, string>; body?: Blob },
): Promise<T> {
  const response = await send(session, transfer, codes, path, init);
  if (!response.ok) throw await errorOf(response, codes);
  try {
    const ack = (await response.json()) as Ack<T>;
    if (ack.ok) return ack.data;
  } catch (error) {
    throw transfer.error(error);
  }
  throw transfer.error(new Error('unexpected answer'));
}

/** One request of a transfer, with the session's credentials, the transfer's signal and stall timer. */
async function send(
  session: () => HttpSession | null,
  transfer: Transfer,
  codes: TransferCodes,
  path: string,
  init: { method: string; headers?: Record<string, string>; body?: Blob },
): Promise<Response> {
  transfer.throwIfStopped();
  // Read for every request: after a reconnect that started a new session, the new one counts.
  const s = session();
  if (!s) throw rtmError(codes.notLoggedIn, 'Not logged in.');
  transfer.touch();
  try {
    return await fetchOf(s)(new URL(path, s.serverUrl), {
      method: init.method,
      headers: { ...authHeaders(s), ...init.headers },
      ...(init.body ? { body: init.body } : {}),
      signal: transfer.signal,
    });
  } catch (error) {
    throw transfer.error(error);
  }
}

function fetchOf(s: HttpSession): (input: URL, init: RequestInit) => Promise<Response> {
  return s.fetch ?? ((input, init) => fetch(input, init));
}

function authHeaders(s: HttpSession): Record<string, string> {
  return {
    [MEDIA_HTTP.headers.appId]: s.appId,
    [MEDIA_HTTP.headers.uid]: encodeURIComponent(s.uid),
    [MEDIA_HTTP.headers.session]: s.sessionId,
  };
}

/** The server's error answer as the operation's RtmError; anything unreadable is a failure. */
async function errorOf(response: Response, codes: TransferCodes) {
  let wire: WireError = { code: 0, name: 'INTERNAL', message: `The server answered HTTP ${response.status}.` };
  try {
    const ack = (await response.json()) as Ack<unknown>;
    // Only codes of this operation's group; anything else stays the generic failure.
    if (!ack.ok && typeof ack.error?.name === 'string' && ack.error.name.startsWith(codes.failure.replace(/FAILURE$/, ''))) {
      wire = ack.error;
    }
  } catch {
    // not our server's JSON (a proxy's error page): keep the generic failure
  }
  return fromWire(wire, codes.failure);
}
