import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { MEDIA_HTTP } from '@rtm-kit/protocol';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { rawLogin, startUpload, waitFor, type RawSession } from './media-helpers.js';

// A full collection before each measurement, so what is counted is what something still holds.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
async function heldBytes(): Promise<number> {
  // ArrayBuffer memory is released by a sweep that can finish after gc() returns.
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
  return process.memoryUsage().arrayBuffers;
}

const MiB = 1024 * 1024;
const SIZE = 30 * MiB;
const PIECE = 64 * 1024;

/** Piece `i` of the test file: 64 KiB that differ from every other piece. */
function piece(i: number): Buffer {
  const b = Buffer.allocUnsafe(PIECE);
  for (let k = 0; k < PIECE; k += 4) b.writeUInt32LE((i * 2_654_435_761 + k * 40_503) >>> 0, k);
  return b;
}

/** Writes pieces [from, to) with back-pressure. */
async function writePieces(req: ReturnType<typeof request>, from: number, to: number, hash: ReturnType<typeof createHash>): Promise<void> {
  for (let i = from; i < to; i++) {
    const p = piece(i);
    hash.update(p);
    if (!req.write(p)) await new Promise((r) => req.once('drain', r));
  }
}

describe('media bytes stream through the server without being held in memory', () => {
  let server: RtmServer;
  let dir: string;
  let alice: RawSession;

  afterEach(async () => {
    alice.socket.disconnect();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a 30 MB file in a single request goes to disk as it arrives and comes back byte for byte', async () => {
    dir = await mkdtemp(join(tmpdir(), 'rtm-media-stream-'));
    // One request for the whole file: the case where a buffering server would hold it all.
    server = await startServer({ port: 0, logger: false, mediaDir: dir, limits: { mediaChunkMaxBytes: 32 * MiB } });
    alice = await rawLogin(server.url, 'alice');
    const uploadId = await startUpload(server.url, alice, SIZE);
    const partFile = join(dir, 'uploads', `${uploadId}.part`);
    const sent = createHash('sha256');
    const baseline = await heldBytes();

    let answer = '';
    const req = request(`${server.url}${MEDIA_HTTP.uploadsPath}/${uploadId}`, {
      method: 'PUT',
      headers: { ...alice.headers, [MEDIA_HTTP.headers.offset]: '0', 'content-length': String(SIZE) },
    });
    const answered = new Promise<number>((resolve, reject) => {
      req.on('response', (res: IncomingMessage) => {
        res.on('data', (d: Buffer) => (answer += d.toString()));
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
    });
    // Awaited below; if an assertion fails first, the cut connection must not go unhandled.
    answered.catch(() => undefined);

    // Two thirds in, with the client paused: those 20 MiB are on disk, not in the server.
    await writePieces(req, 0, (20 * MiB) / PIECE, sent);
    await waitFor(async () => (await stat(partFile)).size >= 20 * MiB - 4 * PIECE, 10_000, 'the bytes to reach the disk');
    expect((await heldBytes()) - baseline).toBeLessThan(4 * MiB);

    await writePieces(req, (20 * MiB) / PIECE, SIZE / PIECE, sent);
    req.end();
    expect(await answered).toBe(200);
    const media = JSON.parse(answer).data.media as { mediaId: string; size: number };
    expect(media.size).toBe(SIZE);
    expect(await readdir(join(dir, 'uploads'))).toEqual([]);

    // Download, pausing two thirds in: the server waits on the socket instead of reading ahead.
    const got = createHash('sha256');
    let received = 0;
    let pausedHeld = -1;
    await new Promise<void>((resolve, reject) => {
      const get = request(`${server.url}${MEDIA_HTTP.mediaPath}/${media.mediaId}`, { headers: alice.headers }, (res) => {
        expect(res.headers['content-length']).toBe(String(SIZE));
        res.on('data', (d: Buffer) => {
          got.update(d);
          received += d.length;
          if (pausedHeld === -1 && received >= 20 * MiB) {
            pausedHeld = 0;
            res.pause();
            setTimeout(() => {
              void heldBytes().then((held) => {
                pausedHeld = held - baseline;
                res.resume();
              });
            }, 200);
          }
        });
        res.on('end', resolve);
        res.on('error', reject);
      });
      get.on('error', reject);
      get.end();
    });
    expect(received).toBe(SIZE);
    expect(got.digest('hex')).toBe(sent.digest('hex'));
    expect(pausedHeld).toBeGreaterThanOrEqual(0);
    expect(pausedHeld).toBeLessThan(4 * MiB);
  });
});
