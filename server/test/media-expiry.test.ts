import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MEDIA_HTTP } from '@rtm-kit/protocol';
import { DEFAULT_TIMING, startServer, type RtmServer } from '@rtm-kit/server';
import { createManualClock, type ManualClock } from '@rtm-kit/server/testing';
import { fileBytes, http, putChunk, rawLogin, startUpload, uploadAll, waitFor, type RawSession } from './media-helpers.js';

const DAY = 24 * 3_600_000;
const SWEEP = 3_600_000;

describe('media expiry and sweeping on the server clock', () => {
  let server: RtmServer;
  let clock: ManualClock;
  let dir: string;
  let alice: RawSession;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rtm-media-expiry-'));
    clock = createManualClock();
    server = await startServer({
      port: 0,
      logger: false,
      clock,
      mediaDir: dir,
      timing: { mediaSweepIntervalMs: SWEEP },
      limits: { mediaConcurrentTransfers: 1 },
    });
    alice = await rawLogin(server.url, 'alice');
  });
  afterEach(async () => {
    alice.socket.disconnect();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a media ID for 7 days, then answers DOWNLOAD_MEDIA_ERR_NOT_EXIST and deletes the file', async () => {
    expect(DEFAULT_TIMING.mediaTtlMs).toBe(7 * DAY);
    const media = await uploadAll(server.url, alice, fileBytes(1000));
    expect(media.expiresAt).toBe(clock.now() + 7 * DAY);

    await clock.advance(7 * DAY - 1);
    expect(await readdir(join(dir, 'media'))).toHaveLength(2);
    const lastMoment = await http(`${server.url}/media/${media.mediaId}`, 'GET', alice.headers);
    expect(lastMoment.status).toBe(200);

    await clock.advance(1);
    const gone = await http(`${server.url}/media/${media.mediaId}`, 'GET', alice.headers);
    expect(gone.status).toBe(404);
    expect(gone.json?.error).toMatchObject({ code: 4, name: 'DOWNLOAD_MEDIA_ERR_NOT_EXIST' });

    // A sweep (one is due every hour) deletes the bytes and the record.
    await clock.advance(SWEEP);
    await waitFor(async () => (await readdir(join(dir, 'media'))).length === 0, 5_000, 'the sweep');
  });

  it('sweeps an abandoned upload after mediaUploadIdleMs and frees its transfer slot', async () => {
    const uploadId = await startUpload(server.url, alice, 2000);
    await putChunk(server.url, alice, uploadId, 0, fileBytes(1000));
    const busy = await http(`${server.url}${MEDIA_HTTP.uploadsPath}`, 'POST', { ...alice.headers, [MEDIA_HTTP.headers.size]: '10' });
    expect(busy.json?.error).toMatchObject({ code: 5 });

    await clock.advance(SWEEP);
    await waitFor(async () => (await readdir(join(dir, 'uploads'))).length === 0, 5_000, 'the sweep');
    const late = await putChunk(server.url, alice, uploadId, 1000, fileBytes(1000));
    expect(late.json?.error).toMatchObject({ code: 1, name: 'UPLOAD_MEDIA_ERR_FAILURE' });
    await startUpload(server.url, alice, 10);
  });

  it('does not sweep an upload that keeps receiving chunks', async () => {
    const uploadId = await startUpload(server.url, alice, 3000);
    await clock.advance(SWEEP - 1);
    await putChunk(server.url, alice, uploadId, 0, fileBytes(1000));
    await clock.advance(1); // a sweep runs: the upload was touched just now
    await clock.advance(DEFAULT_TIMING.mediaUploadIdleMs - 1);
    const next = await putChunk(server.url, alice, uploadId, 1000, fileBytes(2000));
    expect(next.json?.data.media.size).toBe(3000);
  });
});
