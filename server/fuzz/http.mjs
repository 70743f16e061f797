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

/** Headers a client could well send. */
const header = fc.constantFrom(
  ['connection', 'close'],
  ['connection', 'keep-alive'],
  ['origin', 'null'],
  ['origin', 'http://evil.example'],
  ['content-type', 'application/octet-stream'],
  ['range', 'bytes=0-1'],
  ['x-forwarded-for', '1.2.3.4'],
  ['cookie', 'io=AAAAAAAAAAAAAAAAAAAA'],
  ['accept', '*/*'],
);

/** Headers no client should send: names and values outside the grammar, sizes past the caps. */
const badHeader = fc.constantFrom(
  ['x'.repeat(300), 'y'],
  ['long', 'v'.repeat(20_000)],
  ['bad name', 'x'],
  ['x-nul', 'a\u0000b'],
  ['x-latin1', '\u00ff\u00fe'],
  ['', 'empty name'],
  ['__proto__', 'x'],
  ['constructor', 'x'],
  ['folded', 'a\r\n b'],
  [H.uid, LIVE.uid],
);

/** The routes the server has, each with its method: most requests should reach a handler. */
const route = fc.constantFrom(
  ['GET', '/healthz'],
  ['GET', '/'],
  ['HEAD', '/app.js'],
  ['GET', '/client/route'],
  ['POST', MEDIA_HTTP.uploadsPath],
  ['PUT', `${MEDIA_HTTP.uploadsPath}/${LIVE.upload}`],
  ['DELETE', `${MEDIA_HTTP.uploadsPath}/${LIVE.upload}`],
  ['GET', `${MEDIA_HTTP.mediaPath}/${LIVE.upload}`],
  ['OPTIONS', MEDIA_HTTP.uploadsPath],
  ['GET', '/socket.io/?EIO=4&transport=polling'],
  ['POST', '/socket.io/?EIO=4&transport=polling&sid=AAAAAAAAAAAAAAAAAAAA'],
  ['GET', '/socket.io/?EIO=4&transport=websocket'],
);

/** A live session's media credentials, some of them, or someone else's. */
const credentials = fc.constantFrom('live', 'live', 'none', 'no-session', 'other-session', 'other-app', 'bad-uid-encoding');

/**
 * @param {string} kind
 * @returns {Array<[string, string]>}
 */
function credentialHeaders(kind) {
  switch (kind) {
    case 'live':
      return [[H.appId, LIVE.appId], [H.uid, LIVE.uid], [H.session, LIVE.session]];
    case 'no-session':
      return [[H.appId, LIVE.appId], [H.uid, LIVE.uid]];
    case 'other-session':
      return [[H.appId, LIVE.appId], [H.uid, LIVE.uid], [H.session, '00000000-0000-4000-8000-000000000000']];
    case 'other-app':
      return [[H.appId, 'f0000000000000000000000000000001'], [H.uid, LIVE.uid], [H.session, LIVE.session]];
    case 'bad-uid-encoding':
      return [[H.appId, LIVE.appId], [H.uid, '%E0%A4%A'], [H.session, LIVE.session]];
    default:
      return [];
  }
}

/**
 * How the body is framed: as the headers say, or not.
 * @typedef {'none' | 'sized' | 'wrong-length' | 'chunked' | 'bad-chunked' | 'length-and-chunked'
 *   | 'upgrade' | 'expect-continue'} Framing
 */

/**
 * @typedef {{
 *   line: [string, string], version: string, host: boolean, eol: '\r\n' | '\n',
 *   credentials: string, size: string | null, offset: string | null,
 *   headers: Array<[string, string]>, badHeader: [string, string] | null, extraHeaders: number,
 *   framing: Framing, bodySize: number, lengthText: string, then: 'nothing' | 'healthz' | 'garbage',
 *   close: boolean,
 * }} HttpRequest
 */

/** @type {fc.Arbitrary<HttpRequest>} */
export const httpRequest = fc.record({
  // A route as the server has it, or any method on any target.
  line: fc.oneof({ weight: 3, arbitrary: route }, { weight: 2, arbitrary: fc.tuple(method, target) }),
  version,
  host: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  eol: fc.oneof({ weight: 9, arbitrary: fc.constant('\r\n') }, { weight: 1, arbitrary: fc.constant('\n') }),
  credentials,
  size: fc.option(integerText, { freq: 2 }),
  offset: fc.option(integerText, { freq: 2 }),
  headers: fc.array(/** @type {fc.Arbitrary<[string, string]>} */ (header), { maxLength: 3 }),
  badHeader: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: /** @type {fc.Arbitrary<[string, string]>} */ (badHeader) }),
  extraHeaders: fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(200) }),
  framing: fc.constantFrom('none', 'none', 'sized', 'sized', 'wrong-length', 'chunked', 'bad-chunked', 'length-and-chunked', 'upgrade', 'expect-continue'),
  bodySize: fc.constantFrom(0, 1, 16, 64, 100, 70_000),
  lengthText: integerText,
  then: fc.oneof({ weight: 6, arbitrary: fc.constant('nothing') }, { weight: 1, arbitrary: fc.constantFrom('healthz', 'garbage') }),
  // Most requests ask the server to close after answering, which also tells the fuzzer the answer
  // is complete; the others keep the connection, as browsers do.
  close: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
});

/**
 * The bytes of a request, with the live session's values in place of the placeholders.
 * @param {HttpRequest} r
 * @param {Record<string, string>} live values for the `LIVE` placeholders
 * @returns {Buffer}
 */
export function requestBytes(r, live) {
  const fill = (/** @type {string} */ s) => s.replace(/\$(appId|uid|session|upload)/g, (_, k) => live[k] ?? '');
  const [method, path] = r.line;
  const lines = [`${method} ${fill(path)} ${r.version}`.trimEnd()];
  if (r.host) lines.push('Host: 127.0.0.1');
  for (const [name, value] of credentialHeaders(r.credentials)) lines.push(`${name}: ${fill(value)}`);
  if (r.size !== null) lines.push(`${H.size}: ${r.size}`);
  if (r.offset !== null) lines.push(`${H.offset}: ${r.offset}`);
  for (const [name, value] of r.headers) lines.push(`${name}: ${value}`);
  if (r.close && r.framing !== 'upgrade' && !r.headers.some(([name]) => name === 'connection')) lines.push('Connection: close');
  if (r.badHeader) lines.push(`${r.badHeader[0]}: ${fill(r.badHeader[1])}`);
  for (let i = 0; i < r.extraHeaders; i++) lines.push(`x-filler-${i}: ${i}`);
  const n = r.bodySize;
  let body = '';
  switch (r.framing) {
    case 'sized':
      lines.push(`Content-Length: ${n}`);
      body = 'b'.repeat(n);
      break;
    case 'wrong-length':
      lines.push(`Content-Length: ${r.lengthText}`);
      body = 'b'.repeat(n);
      break;
    case 'chunked':
      lines.push('Transfer-Encoding: chunked');
      body = `${n.toString(16)}\r\n${'c'.repeat(n)}\r\n0\r\n\r\n`;
      break;
    case 'bad-chunked':
      lines.push('Transfer-Encoding: chunked');
      body = `${['zz', 'ffffffffffffffff', '-1', '1;'.repeat(100), ''][n % 5]}\r\nxyz\r\n`;
      break;
    case 'length-and-chunked':
      lines.push(`Content-Length: ${n}`, 'Transfer-Encoding: chunked');
      body = `${n.toString(16)}\r\n${'c'.repeat(n)}\r\n0\r\n\r\n`;
      break;
    case 'upgrade':
      lines.push('Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==');
      break;
    case 'expect-continue':
      lines.push('Expect: 100-continue', `Content-Length: ${n}`);
      break;
    default:
      break;
  }
  let text = lines.join(r.eol) + r.eol + r.eol + body;
  if (r.then === 'healthz') text += 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n';
  else if (r.then === 'garbage') text += '\u0000\u0001 garbage\r\n\r\n';
  return Buffer.from(text, 'latin1');
}

/**
 * Sends bytes on a fresh connection and collects the answer. A request the server is still
 * reading (a body shorter than announced, headers without their blank line) is then ended by
 * half-closing the connection after `patienceMs`; the answer is complete once the server closes
 * or stays silent for a moment after it started answering.
 * @param {number} port
 * @param {Buffer} bytes
 * @param {number} timeoutMs how long the server has after the half-close
 * @param {number} [patienceMs] how long to wait for an answer before half-closing
 * @returns {Promise<{ response: string, closed: boolean, timedOut: boolean }>}
 */
export function rawExchange(port, bytes, timeoutMs, patienceMs = 600) {
  return new Promise((resolve) => {
    // allowHalfOpen: the half-close must not end the reading side too.
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    let done = false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let quiet;
    const finish = (/** @type {boolean} */ closed, /** @type {boolean} */ timedOut) => {
      if (done) return;
      done = true;
      clearTimeout(patience);
      clearTimeout(quiet);
      clearTimeout(deadline);
      socket.destroy();
      resolve({ response: Buffer.concat(chunks).toString('latin1'), closed, timedOut });
    };
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let deadline;
    const patience = setTimeout(() => {
      if (size === 0) socket.end();
      deadline = setTimeout(() => finish(false, size === 0), timeoutMs);
    }, patienceMs);
    socket.on('data', (chunk) => {
      // Keep the head of a large answer only; a download is not the point here.
      if (size < 262_144) chunks.push(chunk);
      size += chunk.length;
      clearTimeout(quiet);
      quiet = setTimeout(() => finish(false, false), 150);
    });
    socket.on('end', () => finish(true, false));
    socket.on('close', () => finish(true, false));
    socket.on('error', () => finish(true, false));
    socket.write(bytes);
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
