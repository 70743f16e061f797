import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MEDIA_HTTP } from '@rtm-kit/protocol';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { APP_ID, fileBytes, http, OTHER_APP_ID, putChunk, rawLogin, startUpload, uploadAll, waitFor, type RawSession } from './media-helpers.js';

const H = MEDIA_HTTP.headers;
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('media over HTTP: uploads, downloads and their edge', () => {
  let server: RtmServer;
  let dir: string;
  const sessions: RawSession[] = [];
  const login = async (uid: string, appId = APP_ID) => {
    const s = await rawLogin(server.url, uid, appId);
    sessions.push(s);
    return s;
  };
  const uploadsLeft = async () => readdir(join(dir, 'uploads'));
  const start = async (limits: Parameters<typeof startServer>[0] = {}) => {
    server = await startServer({ port: 0, logger: false, mediaDir: dir, ...limits });
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rtm-media-test-'));
  });
  afterEach(async () => {
    for (const s of sessions.splice(0)) s.socket.disconnect();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores an upload sent in chunks and serves the same bytes with the detected type', async () => {
    await start();
    const alice = await login('alice');
    const bob = await login('bob');
    const bytes = fileBytes(2_500_000, PNG);
    const media = await uploadAll(server.url, alice, bytes, 1_000_000);
    expect(media).toMatchObject({ size: bytes.length, contentType: 'image/png' });
    expect(media.mediaId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await uploadsLeft()).toEqual([]);

    const got = await http(`${server.url}/media/${media.mediaId}`, 'GET', bob.headers);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.headers['content-length']).toBe(String(bytes.length));
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.body.equals(bytes)).toBe(true);
  });

  it('ignores the content type the uploader claims', async () => {
    await start();
    const alice = await login('alice');
    const uploadId = await startUpload(server.url, alice, 100);
    const html = Buffer.from('<html><script>alert(1)</script>'.padEnd(100, ' '));
    const answer = await http(`${server.url}/media/uploads/${uploadId}`, 'PUT', { ...alice.headers, [H.offset]: '0', 'content-type': 'text/html' }, html);
    expect(answer.json?.data.media.contentType).toBe('application/octet-stream');
    const got = await http(`${server.url}/media/${answer.json?.data.media.mediaId}`, 'GET', alice.headers);
    expect(got.headers['content-type']).toBe('application/octet-stream');
  });

  it('authorises every request by a live session: none, a wrong one, another uid or a logged-out one get NOT_LOGGED_IN (102)', async () => {
    await start();
    const alice = await login('alice');
    const bob = await login('bob');
    const media = await uploadAll(server.url, alice, fileBytes(1000));
    const attempts: Array<Record<string, string>> = [
      {},
      { ...alice.headers, [H.session]: bob.sessionId },
      { ...alice.headers, [H.session]: 'f'.repeat(36) },
      { ...bob.headers, [H.uid]: 'alice' },
      { ...alice.headers, [H.uid]: '%E0%A4%A' }, // not decodable
    ];
    for (const headers of attempts) {
      const up = await http(`${server.url}/media/uploads`, 'POST', { ...headers, [H.size]: '10' });
      expect(up.status).toBe(401);
      expect(up.json?.error).toMatchObject({ code: 102, name: 'UPLOAD_MEDIA_ERR_NOT_LOGGED_IN' });
      const down = await http(`${server.url}/media/${media.mediaId}`, 'GET', headers);
      expect(down.status).toBe(401);
      expect(down.json?.error).toMatchObject({ code: 102, name: 'DOWNLOAD_MEDIA_ERR_NOT_LOGGED_IN' });
    }
    await alice.socket.emitWithAck('session:logout', {});
    const after = await http(`${server.url}/media/${media.mediaId}`, 'GET', alice.headers);
    expect(after.json?.error).toMatchObject({ code: 102 });
  });

  it('refuses a download by a user of another app as DOWNLOAD_MEDIA_ERR_NOT_EXIST (4), like an unknown ID', async () => {
    await start();
    const alice = await login('alice');
    const mallory = await login('alice', OTHER_APP_ID);
    const media = await uploadAll(server.url, alice, fileBytes(1000));
    const foreign = await http(`${server.url}/media/${media.mediaId}`, 'GET', mallory.headers);
    expect(foreign.status).toBe(404);
    expect(foreign.json?.error).toMatchObject({ code: 4, name: 'DOWNLOAD_MEDIA_ERR_NOT_EXIST' });
    for (const id of ['A'.repeat(32), 'short', '..%2F..%2Fmedia%2F' + 'A'.repeat(32), `${'A'.repeat(32)}/x`]) {
      const unknown = await http(`${server.url}/media/${id}`, 'GET', alice.headers);
      expect(unknown.status).toBe(404);
      expect(unknown.json?.error).toMatchObject({ code: 4 });
    }
    // A dot-segment path is resolved by the URL parser and is no media path at all.
    expect((await http(`${server.url}/media/%2e%2e/healthz`, 'GET', alice.headers)).body.toString()).toBe('ok');
  });

  it('refuses empty, unsized and oversized uploads before any byte is sent', async () => {
    await start({ limits: { mediaMaxBytes: 10_000 } });
    const alice = await login('alice');
    const cases: Array<[string | undefined, number, string]> = [
      ['0', 400, 'UPLOAD_MEDIA_ERR_INVALID_ARGUMENT'],
      [undefined, 400, 'UPLOAD_MEDIA_ERR_INVALID_ARGUMENT'],
      ['-5', 400, 'UPLOAD_MEDIA_ERR_INVALID_ARGUMENT'],
      ['1e3', 400, 'UPLOAD_MEDIA_ERR_INVALID_ARGUMENT'],
      ['10001', 413, 'UPLOAD_MEDIA_ERR_SIZE_OVERFLOW'],
      ['99999999999999999999', 400, 'UPLOAD_MEDIA_ERR_INVALID_ARGUMENT'],
    ];
    for (const [size, status, name] of cases) {
      const answer = await http(`${server.url}/media/uploads`, 'POST', { ...alice.headers, ...(size === undefined ? {} : { [H.size]: size }) });
      expect(answer.status, `size ${size}`).toBe(status);
      expect(answer.json?.error?.name).toBe(name);
    }
    expect((await http(`${server.url}/media/uploads`, 'POST', { ...alice.headers, [H.size]: '10000' })).status).toBe(201);
  });

  it('cuts off a chunk that runs past the announced size, with or without Content-Length, and keeps nothing', async () => {
    await start();
    const alice = await login('alice');
    // A Content-Length larger than what is left is refused before reading.
    const first = await startUpload(server.url, alice, 1000);
    const tooLong = await putChunk(server.url, alice, first, 0, fileBytes(2000));
    expect(tooLong.status).toBe(413);
    expect(tooLong.json?.error).toMatchObject({ code: 4, name: 'UPLOAD_MEDIA_ERR_SIZE_OVERFLOW' });

    // A chunked body (no length) that never ends is counted while it streams and cut off at
    // the cap: the answer comes while the client is still sending, and the connection closes.
    const second = await startUpload(server.url, alice, 1000);
    let closed = false;
    const streamed = await http(`${server.url}/media/uploads/${second}`, 'PUT', { ...alice.headers, [H.offset]: '0' }, (req) => {
      req.on('close', () => (closed = true));
      for (let i = 0; i < 11; i++) req.write(fileBytes(100));
    });
    expect(streamed.status).toBe(413);
    expect(streamed.headers.connection).toBe('close');
    expect(streamed.json?.error).toMatchObject({ code: 4 });
    await waitFor(() => closed, 5_000, 'the server to close the connection');

    // Both uploads are gone: their IDs no longer work and no bytes are left.
    for (const id of [first, second]) {
      const again = await putChunk(server.url, alice, id, 0, fileBytes(10));
      expect(again.json?.error).toMatchObject({ code: 1, name: 'UPLOAD_MEDIA_ERR_FAILURE' });
    }
    expect(await uploadsLeft()).toEqual([]);
  });

  it('cuts off a chunk larger than the per-request limit', async () => {
    await start({ limits: { mediaChunkMaxBytes: 1024 } });
    const alice = await login('alice');
    const uploadId = await startUpload(server.url, alice, 5000);
    const answer = await http(`${server.url}/media/uploads/${uploadId}`, 'PUT', { ...alice.headers, [H.offset]: '0' }, (req) => {
      req.end(fileBytes(3000));
    });
    expect(answer.status).toBe(413);
    expect(await uploadsLeft()).toEqual([]);
  });

  it('discards a truncated upload: the connection drops in the middle of a chunk', async () => {
    await start();
    const alice = await login('alice');
    const uploadId = await startUpload(server.url, alice, 10_000);
    expect(await uploadsLeft()).toHaveLength(1);
    const cut = http(`${server.url}/media/uploads/${uploadId}`, 'PUT', { ...alice.headers, [H.offset]: '0', 'content-length': '10000' }, (req) => {
      req.write(fileBytes(4000), () => setTimeout(() => req.destroy(), 20));
    });
    await expect(cut).rejects.toThrow();
    await waitFor(async () => (await uploadsLeft()).length === 0, 5_000, 'the part file to go');
    const again = await putChunk(server.url, alice, uploadId, 0, fileBytes(10_000));
    expect(again.json?.error).toMatchObject({ code: 1 });
    // Its transfer slot is free again: nine new uploads fit.
    for (let i = 0; i < 9; i++) await startUpload(server.url, alice, 10);
  });

  it('refuses a chunk at the wrong offset, an empty chunk and malformed headers, ending the upload', async () => {
    await start();
    const alice = await login('alice');
    const wrongOffset = await startUpload(server.url, alice, 100);
    const answer = await putChunk(server.url, alice, wrongOffset, 50, fileBytes(50));
    expect(answer.json?.error).toMatchObject({ code: 2, name: 'UPLOAD_MEDIA_ERR_INVALID_ARGUMENT' });
    expect((await putChunk(server.url, alice, wrongOffset, 0, fileBytes(100))).json?.error).toMatchObject({ code: 1 });

    const empty = await startUpload(server.url, alice, 100);
    expect((await putChunk(server.url, alice, empty, 0, Buffer.alloc(0))).json?.error).toMatchObject({ code: 2 });

    const badHeader = await startUpload(server.url, alice, 100);
    const noOffset = await http(`${server.url}/media/uploads/${badHeader}`, 'PUT', alice.headers, fileBytes(100));
    expect(noOffset.json?.error).toMatchObject({ code: 2 });
    expect(await uploadsLeft()).toEqual([badHeader].map((id) => `${id}.part`));
  });

  it('keeps uploads private: another user cannot write to or cancel them', async () => {
    await start();
    const alice = await login('alice');
    const bob = await login('bob');
    const uploadId = await startUpload(server.url, alice, 100);
    // Someone else's upload, or none at all: not found (1.x code 1; HTTP 404, not a server fault).
    const foreign = await putChunk(server.url, bob, uploadId, 0, fileBytes(100));
    expect(foreign.status).toBe(404);
    expect(foreign.json?.error).toMatchObject({ code: 1 });
    const unknown = await putChunk(server.url, bob, 'A'.repeat(uploadId.length), 0, fileBytes(10));
    expect(unknown.status).toBe(404);
    expect((await http(`${server.url}/media/uploads/${uploadId}`, 'DELETE', bob.headers)).status).toBe(204);
    const own = await putChunk(server.url, alice, uploadId, 0, fileBytes(100));
    expect(own.json?.data.media.size).toBe(100);
  });

  it('cancels an upload with DELETE and frees its bytes', async () => {
    await start();
    const alice = await login('alice');
    const uploadId = await startUpload(server.url, alice, 100);
    await putChunk(server.url, alice, uploadId, 0, fileBytes(50));
    expect((await http(`${server.url}/media/uploads/${uploadId}`, 'DELETE', alice.headers)).status).toBe(204);
    expect(await uploadsLeft()).toEqual([]);
    expect((await putChunk(server.url, alice, uploadId, 50, fileBytes(50))).json?.error).toMatchObject({ code: 1 });
  });

  it('drops the unfinished uploads of a session that ends', async () => {
    await start();
    const alice = await login('alice');
    const bob = await login('bob');
    await startUpload(server.url, alice, 100);
    const bobs = await startUpload(server.url, bob, 100);
    expect(await uploadsLeft()).toHaveLength(2);
    await alice.socket.emitWithAck('session:logout', {});
    await waitFor(async () => (await uploadsLeft()).length === 1, 5_000, 'alice upload to go');
    expect(await uploadsLeft()).toEqual([`${bobs}.part`]);
  });

  it('allows at most mediaConcurrentTransfers uploads and downloads per user (CONCURRENCY_LIMIT_EXCEEDED, 5)', async () => {
    await start({ limits: { mediaConcurrentTransfers: 3 } });
    const alice = await login('alice');
    const bob = await login('bob');
    const media = await uploadAll(server.url, bob, fileBytes(100));
    const ids = [await startUpload(server.url, alice, 10), await startUpload(server.url, alice, 10), await startUpload(server.url, alice, 10)];
    const fourth = await http(`${server.url}/media/uploads`, 'POST', { ...alice.headers, [H.size]: '10' });
    expect(fourth.status).toBe(429);
    expect(fourth.json?.error).toMatchObject({ code: 5, name: 'UPLOAD_MEDIA_ERR_CONCURRENCY_LIMIT_EXCEEDED' });
    const download = await http(`${server.url}/media/${media.mediaId}`, 'GET', alice.headers);
    expect(download.json?.error).toMatchObject({ code: 5, name: 'DOWNLOAD_MEDIA_ERR_CONCURRENCY_LIMIT_EXCEEDED' });
    // Other users have their own slots.
    expect((await http(`${server.url}/media/${media.mediaId}`, 'GET', bob.headers)).status).toBe(200);
    // A completed upload frees its slot.
    await putChunk(server.url, alice, ids[0] as string, 0, fileBytes(10));
    expect((await http(`${server.url}/media/${media.mediaId}`, 'GET', alice.headers)).status).toBe(200);
  });

  it('answers CORS preflights for media routes and tags answers for allowed origins only', async () => {
    await start({ cors: { origin: ['http://app.example'] } });
    const alice = await login('alice');
    const preflight = await http(`${server.url}/media/uploads`, 'OPTIONS', {
      origin: 'http://app.example',
      'access-control-request-method': 'PUT',
      'access-control-request-headers': `${H.session}, ${H.offset}`,
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://app.example');
    expect(String(preflight.headers['access-control-allow-headers'])).toContain(H.offset);
    const allowed = await http(`${server.url}/media/uploads`, 'POST', { ...alice.headers, [H.size]: '5', origin: 'http://app.example' });
    expect(allowed.headers['access-control-allow-origin']).toBe('http://app.example');
    const foreign = await http(`${server.url}/media/uploads`, 'POST', { ...alice.headers, [H.size]: '5', origin: 'http://evil.example' });
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers wrong methods with the group argument code and leaves other paths alone', async () => {
    await start();
    const alice = await login('alice');
    expect((await http(`${server.url}/media/uploads`, 'GET', alice.headers)).json?.error).toMatchObject({ code: 2, name: 'UPLOAD_MEDIA_ERR_INVALID_ARGUMENT' });
    expect((await http(`${server.url}/media/${'A'.repeat(32)}`, 'POST', alice.headers)).json?.error).toMatchObject({ code: 2, name: 'DOWNLOAD_MEDIA_ERR_INVALID_ARGUMENT' });
    expect((await http(`${server.url}/healthz`, 'GET', {})).body.toString()).toBe('ok');
    expect((await http(`${server.url}/mediax`, 'GET', {})).status).toBe(404);
  });

  it('creates the media directory on start and serves stored media after a restart', async () => {
    const nested = join(dir, 'a', 'b');
    server = await startServer({ port: 0, logger: false, mediaDir: nested });
    expect((await stat(join(nested, 'media'))).isDirectory()).toBe(true);
    const alice = await login('alice');
    const bytes = fileBytes(5000, [0x25, 0x50, 0x44, 0x46, 0x2d]);
    const media = await uploadAll(server.url, alice, bytes);
    alice.socket.disconnect();
    await server.close();

    server = await startServer({ port: 0, logger: false, mediaDir: nested });
    const bob = await login('bob');
    const got = await http(`${server.url}/media/${media.mediaId}`, 'GET', bob.headers);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.body.equals(bytes)).toBe(true);
  });

  it('uses a private temporary directory by default and removes it on close', async () => {
    // The memory store's default: a fleet keeps media in its Redis instead.
    server = await startServer({ port: 0, logger: false, store: 'memory' });
    const alice = await login('alice');
    const media = await uploadAll(server.url, alice, fileBytes(100));
    expect((await http(`${server.url}/media/${media.mediaId}`, 'GET', alice.headers)).status).toBe(200);
    const before = (await readdir(tmpdir())).filter((n) => n.startsWith('rtm-kit-media-'));
    alice.socket.disconnect();
    await server.close();
    const after = (await readdir(tmpdir())).filter((n) => n.startsWith('rtm-kit-media-'));
    expect(after.length).toBe(before.length - 1);
    server = await startServer({ port: 0, logger: false }); // for afterEach
  });
});
