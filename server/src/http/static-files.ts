import { createReadStream, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { decodedRequestPath } from './request-path.js';

/** Answers a GET or HEAD request with a file of the directory; see `serveStaticFiles`. */
export type StaticFilesHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface StaticFilesOptions {
  readonly log: { error(message: string, detail?: unknown): void };
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** The content type for a file name; unknown extensions are served as opaque bytes. */
export function contentTypeOf(fileName: string): string {
  return CONTENT_TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Serves the files of `dir` (a built single-page app, such as the demo) over HTTP GET and HEAD.
 *
 * - `/` and directories answer their `index.html`;
 * - an unknown path without a file extension (a client-side route) answers the root
 *   `index.html`; an unknown path with one (`/assets/missing.js`) is a 404, so a stale script
 *   reference fails as a missing script rather than as HTML parsed as JavaScript;
 * - a path that resolves outside `dir`, also through a symbolic link, is refused with 403;
 * - dot files and dot directories are not served (404);
 * - other methods get 405.
 *
 * Rejects when `dir` is not a directory, so a mistyped `--static` fails at start.
 *
 * Kept by hand rather than on `sirv`: sirv's single-page mode answers `index.html` for a missing
 * `.js` too, and it checks paths but not where a symbolic link leads; both rules above matter more
 * here than the hundred lines saved.
 *
 * @example
 * const serve = await serveStaticFiles('demo/dist', { log: console });
 * createServer((req, res) => serve(req, res));
 */
export async function serveStaticFiles(dir: string, options: StaticFilesOptions): Promise<StaticFilesHandler> {
  const root = await realpath(resolve(dir)).catch(() => {
    throw new Error(`static directory not found: ${resolve(dir)}`);
  });
  if (!(await stat(root)).isDirectory()) throw new Error(`static directory is not a directory: ${root}`);

  return (req, res) => {
    answer(root, req, res).catch((error: unknown) => {
      // A client that goes away mid-download is not a server failure.
      if ((error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
      options.log.error(`static ${req.method ?? ''} ${req.url ?? ''} failed`, error);
      if (!res.headersSent) sendText(req, res, 500, 'internal server error');
      else res.destroy();
    });
  };
}

interface FoundFile {
  readonly path: string;
  readonly stats: Stats;
}

async function answer(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendText(req, res, 405, 'method not allowed', { allow: 'GET, HEAD' });
    return;
  }
  const pathname = decodedRequestPath(req.url);
  if (pathname === null) {
    sendText(req, res, 400, 'bad request');
    return;
  }
  // The URL parser collapses plain `..` segments, but not ones hidden behind an encoded slash
  // (`..%2f..%2fetc`): after decoding, whatever `resolve` makes of it must still be inside.
  const target = resolve(root, `.${pathname}`);
  if (!isInside(root, target)) {
    sendText(req, res, 403, 'forbidden');
    return;
  }
  // Dot files (`.env`, `.git/`) are never part of a site, even if a build left them there.
  if (relative(root, target).split(sep).some((segment) => segment.startsWith('.'))) {
    sendText(req, res, 404, 'not found');
    return;
  }
  let found = await findFile(root, target);
  if (found === 'outside') {
    sendText(req, res, 403, 'forbidden');
    return;
  }
  if (found === null && extname(pathname) === '') {
    const index = await findFile(root, join(root, 'index.html'));
    found = index === 'outside' ? null : index;
  }
  if (found === null) {
    sendText(req, res, 404, 'not found');
    return;
  }
  res.writeHead(200, {
    'content-type': contentTypeOf(found.path),
    'content-length': String(found.stats.size),
    'last-modified': found.stats.mtime.toUTCString(),
    // Revalidate every time: a rebuilt app must not run against an old cached index.html.
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(createReadStream(found.path), res);
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}

/**
 * The regular file at `path`, or a directory's `index.html`, after following symbolic links;
 * `'outside'` when they lead out of the root; null when there is none.
 */
async function findFile(root: string, path: string, directoryIndex = true): Promise<FoundFile | 'outside' | null> {
  let real: string;
  try {
    real = await realpath(path);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
  if (!isInside(root, real)) return 'outside';
  const stats = await stat(real);
  if (stats.isFile()) return { path: real, stats };
  if (stats.isDirectory() && directoryIndex) return findFile(root, join(real, 'index.html'), false);
  return null;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES' || code === 'ENAMETOOLONG';
}

function sendText(req: IncomingMessage, res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...headers,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : text);
}
