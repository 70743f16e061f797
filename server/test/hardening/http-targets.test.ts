import { connect } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { decodedRequestPath, requestPath } from '../../src/http/request-path.js';

/** Sends `head` byte for byte on a fresh TCP connection; resolves with the status line. */
function rawRequest(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setTimeout(5_000, () => socket.destroy(new Error(`no answer to ${JSON.stringify(head)}`)));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n')) {
        socket.destroy();
        resolve(received.slice(0, received.indexOf('\r\n')));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received.split('\r\n')[0] ?? ''));
    socket.write(head);
  });
}

const HOSTILE_TARGETS = ['//[', 'http://[', '//a:99999/x', '//%zz', '/media//[', '//media/x', 'http://h:1/media/x', '*', '/%', '/\u00ff'];

describe.each([
  { site: false, label: 'API only' },
  { site: true, label: 'with a static site' },
])('HTTP request targets no route can parse ($label)', ({ site }) => {
  let server: RtmServer;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rtm-targets-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>x</title>');
    server = await startServer({ port: 0, logger: false, ...(site ? { staticDir: dir } : {}) });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(HOSTILE_TARGETS)('GET %s is answered with a 4xx and the server keeps serving', async (target) => {
    for (const method of ['GET', 'PUT', 'OPTIONS']) {
      const status = await rawRequest(server.port, `${method} ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      // A CORS preflight to a media path may be answered 204; nothing is a 5xx or a crash.
      expect(status).toMatch(method === 'OPTIONS' ? /^HTTP\/1\.1 (204|4\d\d) / : /^HTTP\/1\.1 4\d\d /);
    }
    expect(await rawRequest(server.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toBe('HTTP/1.1 200 OK');
  });

  it('answers a request line node cannot parse with 400', async () => {
    expect(await rawRequest(server.port, 'GET /\x01 x y\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await rawRequest(server.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toBe('HTTP/1.1 200 OK');
  });
});

describe('requestPath', () => {
  it('routes origin-form targets only', () => {
    expect(requestPath('/media/uploads?x=1')).toBe('/media/uploads');
    expect(requestPath('/a#b')).toBe('/a');
    for (const target of [undefined, '', '*', '//[', 'http://[', '//a:99999/x', `/${'a'.repeat(5_000)}`]) {
      expect(requestPath(target)).toBeNull();
    }
  });

  it('decodes, collapses dot segments and refuses what cannot be decoded', () => {
    expect(decodedRequestPath('/a/../b%20c')).toBe('/b c');
    expect(decodedRequestPath('/..%2f..%2fetc')).toBe('/../../etc');
    expect(decodedRequestPath('/%zz')).toBeNull();
    expect(decodedRequestPath('/a%00')).toBeNull();
  });
});
