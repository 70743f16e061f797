import { request } from 'node:http';
import { io, type Socket } from 'socket.io-client';
import { MEDIA_HTTP } from '@rtm-kit/protocol';

export const APP_ID = '0123456789abcdef0123456789abcdef';
export const OTHER_APP_ID = 'abcdefabcdefabcdefabcdefabcdef01';

export interface RawSession {
  readonly socket: Socket;
  readonly sessionId: string;
  /** The three headers that authenticate a media request as this session. */
  readonly headers: Record<string, string>;
}

/** Logs in over a raw socket.io connection, as any client would, and returns its credentials. */
export async function rawLogin(url: string, uid: string, appId = APP_ID): Promise<RawSession> {
  const socket = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { v: 1, appId, uid, token: null, sessionId: null },
  });
  const ready = await new Promise<{ sessionId: string }>((resolve, reject) => {
    socket.once('session:ready', resolve);
    socket.once('connect_error', reject);
  });
  const H = MEDIA_HTTP.headers;
  return {
    socket,
    sessionId: ready.sessionId,
    headers: { [H.appId]: appId, [H.uid]: encodeURIComponent(uid), [H.session]: ready.sessionId },
  };
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  /** The body parsed as JSON (the acknowledgement envelope), or undefined. */
  readonly json: { ok: boolean; data?: any; error?: { code: number; name: string; message: string } } | undefined;
}

/**
 * One HTTP request with node:http, so a test controls the body exactly: a Buffer, or a function
 * that writes it piece by piece (and may cut the connection).
 */
export function http(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: Buffer | ((req: ReturnType<typeof request>) => void),
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('error', reject);
      res.on('end', () => {
        const buffer = Buffer.concat(parts);
        let json: HttpAnswer['json'];
        try {
          json = String(res.headers['content-type']).startsWith('application/json') ? JSON.parse(buffer.toString('utf8')) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buffer, json });
      });
    });
    req.on('error', reject);
    if (typeof body === 'function') body(req);
    else req.end(body);
  });
}

/** Starts an upload and returns its ID. */
export async function startUpload(url: string, session: RawSession, size: number): Promise<string> {
  const answer = await http(`${url}${MEDIA_HTTP.uploadsPath}`, 'POST', { ...session.headers, [MEDIA_HTTP.headers.size]: String(size) });
  if (answer.status !== 201 || !answer.json?.ok) throw new Error(`upload refused: ${answer.status} ${answer.body.toString()}`);
  return answer.json.data.uploadId as string;
}

/** Sends one chunk with a Content-Length. */
export function putChunk(url: string, session: RawSession, uploadId: string, offset: number, bytes: Buffer): Promise<HttpAnswer> {
  return http(`${url}${MEDIA_HTTP.uploadsPath}/${uploadId}`, 'PUT', { ...session.headers, [MEDIA_HTTP.headers.offset]: String(offset) }, bytes);
}

/** Uploads a whole file in chunks of `chunk` bytes and returns the stored media. */
export async function uploadAll(url: string, session: RawSession, bytes: Buffer, chunk = 1 << 20): Promise<{ mediaId: string; size: number; contentType: string; expiresAt: number }> {
  const uploadId = await startUpload(url, session, bytes.length);
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    const answer = await putChunk(url, session, uploadId, offset, bytes.subarray(offset, offset + chunk));
    if (answer.status !== 200) throw new Error(`chunk refused: ${answer.status} ${answer.body.toString()}`);
    if (answer.json?.data.media) return answer.json.data.media;
  }
  throw new Error('the upload did not complete');
}

/** Deterministic bytes that differ at every offset, with an optional file signature in front. */
export function fileBytes(size: number, head: readonly number[] = []): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 131 + (i >>> 8) * 7 + (i >>> 16)) & 0xff;
  Buffer.from(head).copy(b, 0);
  return b;
}

/** Polls until `check` is true, failing after `ms`. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 5_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  for (let i = 0; i < 10_000; i++) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`gave up waiting for ${what}`);
}
