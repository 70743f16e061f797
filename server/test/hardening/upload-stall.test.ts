import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TIMING, MEDIA_HTTP } from '@rtm-kit/protocol';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { createManualClock, type ManualClock } from '@rtm-kit/server/testing';
import { fileBytes, http, rawLogin, startUpload, waitFor, type HttpAnswer, type RawSession } from '../media-helpers.js';

const IDLE = DEFAULT_TIMING.mediaChunkIdleMs;

describe('an upload whose chunk stops arriving', () => {
  let server: RtmServer;
  let clock: ManualClock;
  let dir: string;
  let alice: RawSession;
  let hanging: Array<{ destroy(): void }> = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rtm-upload-stall-'));
    clock = createManualClock();
    server = await startServer({ port: 0, logger: false, clock, mediaDir: dir, limits: { mediaConcurrentTransfers: 1 } });
    alice = await rawLogin(server.url, 'alice');
  });
  afterEach(async () => {
    for (const req of hanging.splice(0)) req.destroy();
    alice.socket.disconnect();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A PUT of a 2 000-byte chunk whose body the test writes piece by piece. */
  const openChunk = (uploadId: string) => {
    let write: (bytes: Buffer, end?: boolean) => void = () => {};
    const answer = http(
      `${server.url}${MEDIA_HTTP.uploadsPath}/${uploadId}`,
      'PUT',
      { ...alice.headers, [MEDIA_HTTP.headers.offset]: '0', 'content-length': '2000' },
      (req) => {
        hanging.push(req);
        write = (bytes, end = false) => (end ? req.end(bytes) : req.write(bytes));
      },
    );
    return { answer, write: (bytes: Buffer, end?: boolean) => write(bytes, end) };
  };
  const partSize = async (uploadId: string) => (await stat(join(dir, 'uploads', `${uploadId}.part`)).catch(() => null))?.size ?? -1;
  const within = <T>(promise: Promise<T>, ms: number, what: string) =>
    Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms))]);

  it(`is cut off after ${IDLE / 1000} s without bytes: TIMEOUT (3), HTTP 408, its slot and part file released`, async () => {
    expect(IDLE).toBe(30_000);
    const uploadId = await startUpload(server.url, alice, 2_000);
    const chunk = openChunk(uploadId);
    chunk.write(fileBytes(500));
    await waitFor(async () => (await partSize(uploadId)) === 500, 5_000, 'the first bytes on disk');
    // The stalled upload holds the only slot.
    expect((await http(`${server.url}${MEDIA_HTTP.uploadsPath}`, 'POST', { ...alice.headers, [MEDIA_HTTP.headers.size]: '10' })).status).toBe(429);

    await clock.advance(IDLE - 1);
    expect(await partSize(uploadId)).toBe(500);
    await clock.advance(1);
    const answer: HttpAnswer = await within(chunk.answer, 5_000, 'answer to the stalled chunk');
    expect(answer.status).toBe(408);
    expect(answer.json).toEqual({
      ok: false,
      error: { code: 3, name: 'UPLOAD_MEDIA_ERR_TIMEOUT', message: 'No bytes of the chunk arrived for 30 s; the upload was discarded.' },
    });
    await waitFor(async () => (await readdir(join(dir, 'uploads'))).length === 0, 5_000, 'the part file to go');
    // The upload is gone and the slot is free again.
    const retry = await http(`${server.url}${MEDIA_HTTP.uploadsPath}/${uploadId}`, 'PUT', { ...alice.headers, [MEDIA_HTTP.headers.offset]: '0' }, fileBytes(10));
    expect(retry.json?.error).toMatchObject({ code: 1, name: 'UPLOAD_MEDIA_ERR_FAILURE' });
    expect(await startUpload(server.url, alice, 10)).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('lets a slow chunk through as long as bytes keep coming: the limit is on silence, not on the whole chunk', async () => {
    const uploadId = await startUpload(server.url, alice, 2_000);
    const chunk = openChunk(uploadId);
    const bytes = fileBytes(2_000);
    for (let i = 0; i < 3; i++) {
      chunk.write(bytes.subarray(i * 500, (i + 1) * 500));
      await waitFor(async () => (await partSize(uploadId)) === (i + 1) * 500, 5_000, `piece ${i + 1} on disk`);
      await clock.advance(IDLE - 1_000);
    }
    chunk.write(bytes.subarray(1_500), true);
    const answer = await within(chunk.answer, 5_000, 'answer to the slow chunk');
    expect(answer.status).toBe(200);
    expect(answer.json?.data).toMatchObject({ received: 2_000, media: { size: 2_000 } });
    const stored = await http(`${server.url}/media/${answer.json?.data.media.mediaId}`, 'GET', alice.headers);
    expect(stored.body.equals(bytes)).toBe(true);
  });
});
