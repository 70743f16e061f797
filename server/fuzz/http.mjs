// Raw HTTP requests: request lines, headers and bodies written byte for byte on a TCP socket
// (node:net), so nothing on the way normalises them. Routes come from the server's HTTP surface:
// health, media uploads and downloads (with a live session's credentials or without), the
// socket.io polling and upgrade endpoints, and the static site.
import { connect } from 'node:net';
import fc from 'fast-check';
import { MEDIA_HTTP } from '@rtm-kit/protocol';
import { PROTOTYPE_NAMES } from './schema-arbitrary.mjs';

const H = MEDIA_HTTP.headers;

/** Placeholders filled in when a request is written: a live session and an upload it started. */
export const LIVE = { appId: '$appId', uid: '$uid', session: '$session', upload: '$upload' };

const target = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      '/healthz',
      '/',
      '/app.js',
      '/index.html',
      '/missing.js',
      '/client/route',
      MEDIA_HTTP.mediaPath,
      `${MEDIA_HTTP.mediaPath}/`,
      MEDIA_HTTP.uploadsPath,
      `${MEDIA_HTTP.uploadsPath}/${LIVE.upload}`,
      `${MEDIA_HTTP.uploadsPath}/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
      `${MEDIA_HTTP.mediaPath}/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`,
      `${MEDIA_HTTP.mediaPath}/${LIVE.upload}`,
      '/socket.io/?EIO=4&transport=polling',
      '/socket.io/?EIO=4&transport=polling&sid=AAAAAAAAAAAAAAAAAAAA',
      '/socket.io/?EIO=3&transport=polling',
      '/socket.io/?EIO=4&transport=websocket',
      '/socket.io/?EIO=4&transport=flashsocket',
      '/socket.io/',
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '*',
      '//',
      '//[',
      'http://[',
      'http://127.0.0.1/healthz',
      '127.0.0.1:80',
      '/%',
      '/%00',
      '/%zz',
      '/..',
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/site/../secret.txt',
      '/./../../secret.txt',
      '/\\..\\secret.txt',
      '/.%00./secret.txt',
      '/\u00ff',
      `/media/${'../'.repeat(5)}secret.txt`,
      `/${'a'.repeat(5_000)}`,
      `/?${'q='.repeat(4_000)}`,
      `/socket.io/?EIO=4&transport=polling&${'a=1&'.repeat(2_000)}`,
      ...PROTOTYPE_NAMES.map((n) => `/${n}`),
      ...PROTOTYPE_NAMES.map((n) => `${MEDIA_HTTP.mediaPath}/${n}`),
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 30, unit: 'binary-ascii' }).map((s) => `/${s}`) },
);

const method = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD') },
  { weight: 2, arbitrary: fc.constantFrom('PATCH', 'CONNECT', 'TRACE', 'get', 'GETT', 'G ET', '', 'PRI', 'M-SEARCH') },
);

const version = fc.oneof(
  { weight: 9, arbitrary: fc.constant('HTTP/1.1') },
  { weight: 1, arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/0.9', 'http/1.1', 'HTTP/1.1 x', '', 'HTTP/1.10') },
);

const integerText = fc.constantFrom('0', '1', '16', '1024', '-1', '1e3', '0x10', ' 5', '5 ', '99999999999999999999', 'NaN', '', '1,2', '31457281');

/** Headers as [name, value] pairs; names and values may be anything a client can type. */
const header = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom([H.appId, LIVE.appId], [H.uid, LIVE.uid], [H.session, LIVE.session]) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(H.size, H.offset, 'content-length'), integerText) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      ['transfer-encoding', 'chunked'],
      ['transfer-encoding', 'chunked, identity'],
      ['transfer-encoding', ' chunked'],
      ['connection', 'close'],
      ['connection', 'keep-alive'],
      ['connection', 'upgrade'],
      ['upgrade', 'websocket'],
      ['sec-websocket-key', 'dGhlIHNhbXBsZSBub25jZQ=='],
      ['sec-websocket-version', '13'],
      ['sec-websocket-version', '99'],
      ['origin', 'null'],
      ['origin', 'http://evil.example'],
      ['expect', '100-continue'],
      ['content-type', 'application/octet-stream'],
      ['range', 'bytes=0-1'],
      ['x-forwarded-for', '1.2.3.4'],
      ['cookie', 'io=AAAAAAAAAAAAAAAAAAAA'],
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      [H.uid, '%E0%A4%A'],
      [H.uid, '%00'],
      [H.appId, 'f0000000000000000000000000000002'],
      [H.session, '00000000-0000-4000-8000-000000000000'],
      ['x'.repeat(300), 'y'],
      ['long', 'v'.repeat(20_000)],
      ['bad name', 'x'],
      ['x-nul', 'a\u0000b'],
      ['x-latin1', '\u00ff\u00fe'],
      ['', 'empty name'],
      ['__proto__', 'x'],
      ['constructor', 'x'],
    ),
  },
);

/**
 * @typedef {{
 *   method: string, target: string, version: string, headers: Array<[string, string]>,
 *   host: boolean, eol: '\r\n' | '\n', body: { kind: 'none' | 'bytes' | 'chunked' | 'bad-chunked', size: number },
 *   extraHeaders: number, then: 'nothing' | 'healthz' | 'garbage',
 * }} HttpRequest
 */

/** @type {fc.Arbitrary<HttpRequest>} */
export const httpRequest = fc.record({
  method,
  target,
  version,
  headers: fc.array(/** @type {fc.Arbitrary<[string, string]>} */ (header), { maxLength: 8 }),
  host: fc.boolean(),
  eol: fc.constantFrom('\r\n', '\r\n', '\r\n', '\n'),
  body: fc.record({ kind: fc.constantFrom('none', 'none', 'bytes', 'chunked', 'bad-chunked'), size: fc.constantFrom(0, 1, 100, 70_000) }),
  extraHeaders: fc.constantFrom(0, 0, 0, 200),
  then: fc.constantFrom('nothing', 'nothing', 'healthz', 'garbage'),
});

/**
 * The bytes of a request, with the live session's values in place of the placeholders.
 * @param {HttpRequest} r
 * @param {Record<string, string>} live values for the `LIVE` placeholders
 * @returns {Buffer}
 */
export function requestBytes(r, live) {
  const fill = (/** @type {string} */ s) => s.replace(/\$(appId|uid|session|upload)/g, (_, k) => live[k] ?? '');
  const lines = [`${r.method} ${fill(r.target)} ${r.version}`.trimEnd()];
  if (r.host) lines.push('Host: 127.0.0.1');
  for (const [name, value] of r.headers) lines.push(`${name}: ${fill(value)}`);
  for (let i = 0; i < r.extraHeaders; i++) lines.push(`x-filler-${i}: ${i}`);
  let body = '';
  if (r.body.kind === 'bytes') {
    body = 'b'.repeat(r.body.size);
    if (!r.headers.some(([n]) => n.toLowerCase() === 'content-length')) lines.push(`Content-Length: ${r.body.size}`);
  } else if (r.body.kind === 'chunked') {
    if (!r.headers.some(([n]) => n.toLowerCase() === 'transfer-encoding')) lines.push('Transfer-Encoding: chunked');
    body = `${r.body.size.toString(16)}\r\n${'c'.repeat(r.body.size)}\r\n0\r\n\r\n`;
  } else if (r.body.kind === 'bad-chunked') {
    lines.push('Transfer-Encoding: chunked');
    body = `${['zz', 'ffffffffffffffff', '-1', '1;'.repeat(100), ''][r.body.size % 5]}\r\nxyz\r\n`;
  }
  let text = lines.join(r.eol) + r.eol + r.eol + body;
  if (r.then === 'healthz') text += 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n';
  else if (r.then === 'garbage') text += '\u0000\u0001 garbage\r\n\r\n';
  return Buffer.from(text, 'latin1');
}

/**
 * Sends bytes on a fresh connection, half-closes it, and collects the answer until the server
 * closes or `timeoutMs` passes.
 * @param {number} port
 * @param {Buffer} bytes
 * @param {number} timeoutMs
 * @returns {Promise<{ response: string, closed: boolean, timedOut: boolean }>}
 */
export function rawExchange(port, bytes, timeoutMs) {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    let done = false;
    const finish = (/** @type {boolean} */ closed, /** @type {boolean} */ timedOut) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ response: Buffer.concat(chunks).toString('latin1'), closed, timedOut });
    };
    const timer = setTimeout(() => finish(false, true), timeoutMs);
    socket.on('data', (chunk) => {
      // Keep the head of a large answer only; a download is not the point here.
      if (size < 262_144) chunks.push(chunk);
      size += chunk.length;
    });
    socket.on('end', () => finish(true, false));
    socket.on('close', () => finish(true, false));
    socket.on('error', () => finish(true, false));
    socket.write(bytes, () => socket.end());
  });
}

/**
 * The status codes of every response in an answer (pipelined requests get several).
 * @param {string} response
 * @returns {number[]}
 */
export function statusesOf(response) {
  // Anywhere, not only at line starts: a pipelined answer follows the previous body directly.
  return [...response.matchAll(/HTTP\/1\.[01] (\d{3})[ \r]/g)].map((m) => Number(m[1]));
}

/**
 * A short, printable form of a request for reports.
 * @param {Buffer} bytes
 */
export function describeRequest(bytes) {
  const text = bytes.toString('latin1');
  const shown = text.length > 400 ? `${text.slice(0, 300)}… (${text.length} bytes)` : text;
  return JSON.stringify(shown);
}
