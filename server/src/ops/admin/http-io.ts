import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorCodeOf, type ErrorCodeName } from '@rtm-kit/protocol';

/**
 * How the admin API answers: JSON bodies, and errors as `{ "error": { code, name, message } }`
 * where `code` and `name` are the 1.x error code of the operation when there is one (code 0 and
 * an HTTP-level name otherwise), so a script can branch on the same names a client sees.
 */
export class AdminError extends Error {
  readonly status: number;
  readonly codeName: string;
  readonly code: number;
  readonly headers: Record<string, string>;

  constructor(status: number, codeName: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'AdminError';
    this.status = status;
    this.codeName = codeName;
    this.code = 0;
    this.headers = headers;
  }

  /** A bad input named by a 1.x error code: 400 with its number. */
  static invalid(codeName: ErrorCodeName, message: string): AdminError {
    return AdminError.spec(400, codeName, message);
  }

  /** A refusal named by a 1.x error code, with its number. */
  static spec(status: number, codeName: ErrorCodeName, message: string): AdminError {
    const error = new AdminError(status, codeName, message);
    (error as { code: number }).code = errorCodeOf(codeName);
    return error;
  }
}

/** The largest request body the admin API reads; larger ones get a 413 without being read. */
export const MAX_ADMIN_BODY_BYTES = 128 * 1024;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: AdminError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, error.status, { error: { code: error.code, name: error.codeName, message: error.message } }, error.headers);
}

/**
 * The request's JSON body, at most `MAX_ADMIN_BODY_BYTES`: a declared or actual size above that is
 * a 413, a body that is not JSON a 400. An empty body is `{}`. The read is bounded in time by the
 * HTTP server's request timeout.
 */
export function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (Number.isFinite(declared) && declared > MAX_ADMIN_BODY_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    // Past the cap the rest is read and dropped (not destroyed: the 413 must still go out, and
    // its `connection: close` ends the connection after it).
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > MAX_ADMIN_BODY_BYTES) {
        over = true;
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.once('error', reject);
    req.once('end', () => {
      if (over) return;
      try {
        resolve(parseJson(req, Buffer.concat(chunks).toString('utf8').trim()));
      } catch (error) {
        reject(error);
      }
    });
  });
}

function parseJson(req: IncomingMessage, text: string): unknown {
  if (text === '') return {};
  const type = String(req.headers['content-type'] ?? 'application/json').toLowerCase();
  if (!type.startsWith('application/json')) {
    throw new AdminError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AdminError(400, 'INVALID_JSON', 'The body is not valid JSON.');
  }
}

function tooLarge(): AdminError {
  return new AdminError(413, 'PAYLOAD_TOO_LARGE', `The body must be at most ${MAX_ADMIN_BODY_BYTES} bytes.`, { connection: 'close' });
}

/** A plain JSON object (not an array or null), or a 400 naming `what`. */
export function objectBody(body: unknown, codeName: ErrorCodeName): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw AdminError.invalid(codeName, 'The body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}
