import { afterEach, describe, expect, it } from 'vitest';
import AgoraRTM, { type RtmClient } from '@rtm-kit/client';
import { MEDIA_HTTP } from '@rtm-kit/protocol';
import { startServer, type RtmServer, type ServerOptions } from '@rtm-kit/server';
import { createManualClock, type ManualClock } from '@rtm-kit/server/testing';
import { APP_ID, fileBytes, http, OTHER_APP_ID, rawLogin, type RawSession } from '../media-helpers.js';

const H = MEDIA_HTTP.headers;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('media quotas: upload rate and stored bytes per user and per app', () => {
  let server: RtmServer;
  let clock: ManualClock;
  const clients: RtmClient[] = [];
  const raws: RawSession[] = [];
  const start = async (options: ServerOptions) => {
    clock = createManualClock();
    server = await startServer({ port: 0, logger: false, clock, ...options });
  };
  const user = async (uid: string, appId = APP_ID) => {
    const c = AgoraRTM.createInstance(appId, { serverUrl: server.url, logFilter: AgoraRTM.LOG_FILTER_OFF });
    clients.push(c);
    await c.login({ uid });
    return c;
  };
  const raw = async (uid: string, appId = APP_ID) => {
    const s = await rawLogin(server.url, uid, appId);
    raws.push(s);
    return s;
  };
  const upload = (c: RtmClient, size: number) => c.createMediaMessageByUploading(new Blob([new Uint8Array(fileBytes(size))]), { messageType: 'FILE', fileName: `${size}.bin` });
  const startRaw = (s: RawSession, size: number) => http(`${server.url}${MEDIA_HTTP.uploadsPath}`, 'POST', { ...s.headers, [H.size]: String(size) });

  afterEach(async () => {
    for (const s of raws.splice(0)) s.socket.disconnect();
    await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
    await server.close();
  });

  it('limits uploads started per user and window: CONCURRENCY_LIMIT_EXCEEDED (5), HTTP 429, across logins', async () => {
    await start({ limits: { mediaUploadRate: { count: 2, windowMs: 60_000 }, loginRate: { count: 10, windowMs: 1_000 } } });
    const alice = await user('alice');
    await upload(alice, 1_000);
    await upload(alice, 1_000);
    await expect(upload(alice, 1_000)).rejects.toMatchObject({
      code: 5,
      codeName: 'UPLOAD_MEDIA_ERR_CONCURRENCY_LIMIT_EXCEEDED',
      message: 'Starting uploads is limited to 2 calls per 60 s.',
    });
    // A new session of the same user has no new budget.
    await alice.logout();
    await sleep(520);
    await alice.login({ uid: 'alice' });
    await expect(upload(alice, 1_000)).rejects.toMatchObject({ code: 5 });
    // Other users have their own budget; the window refills with time.
    await expect(upload(await user('bob'), 1_000)).resolves.toMatchObject({ size: 1_000 });
    await clock.advance(60_000);
    await expect(upload(alice, 1_000)).resolves.toMatchObject({ size: 1_000 });
    // Over raw HTTP (a login that replaces the client's session, still the same user).
    const again = await raw('alice');
    expect((await startRaw(again, 1_000)).status).toBe(201);
    const refused = await startRaw(again, 1_000);
    expect(refused.status).toBe(429);
    expect(refused.json).toMatchObject({ ok: false, error: { code: 5, name: 'UPLOAD_MEDIA_ERR_CONCURRENCY_LIMIT_EXCEEDED' } });
  });

  it('caps the bytes a user holds: SIZE_OVERFLOW (4), HTTP 413, earlier media intact, space back when they expire', async () => {
    await start({ limits: { mediaStoredBytesPerUser: 250_000 }, timing: { mediaTtlMs: 10_000 } });
    const alice = await user('alice');
    const first = await upload(alice, 100_000);
    const second = await upload(alice, 100_000);
    await expect(upload(alice, 100_000)).rejects.toMatchObject({
      code: 4,
      codeName: 'UPLOAD_MEDIA_ERR_SIZE_OVERFLOW',
      message: 'The media of one user would pass 250000 bytes with this file; space comes back as stored files expire.',
    });
    // What fits still goes; what was stored is untouched; other users are not affected.
    await expect(upload(alice, 50_000)).resolves.toMatchObject({ size: 50_000 });
    const bob = await user('bob');
    for (const media of [first, second]) {
      const blob = await bob.downloadMedia(media.mediaId);
      expect(Buffer.from(await blob.arrayBuffer()).equals(fileBytes(100_000))).toBe(true);
    }
    await expect(upload(bob, 200_000)).resolves.toMatchObject({ size: 200_000 });

    // The 7-day (here 10 s) sweep deletes the media and gives their bytes back.
    await clock.advance(10_000);
    await server.core.media!.sweep();
    await expect(bob.downloadMedia(first.mediaId)).rejects.toMatchObject({ codeName: 'DOWNLOAD_MEDIA_ERR_NOT_EXIST' });
    await expect(upload(alice, 240_000)).resolves.toMatchObject({ size: 240_000 });
    const refused = await startRaw(await raw('alice'), 20_000);
    expect(refused.status).toBe(413);
    expect(refused.json).toMatchObject({ ok: false, error: { code: 4, name: 'UPLOAD_MEDIA_ERR_SIZE_OVERFLOW' } });
  });

  it('reserves an upload’s announced size at its start, and gives it back when the upload is cancelled', async () => {
    await start({ limits: { mediaStoredBytesPerUser: 150_000 } });
    const alice = await raw('alice');
    const started = await startRaw(alice, 100_000);
    expect(started.status).toBe(201);
    // Nothing is written yet, but the first upload holds its 100 000 bytes.
    expect((await startRaw(alice, 100_000)).status).toBe(413);
    const uploadId = started.json?.data.uploadId as string;
    expect((await http(`${server.url}${MEDIA_HTTP.uploadsPath}/${uploadId}`, 'DELETE', alice.headers)).status).toBe(204);
    expect((await startRaw(alice, 100_000)).status).toBe(201);
  });

  it('caps the bytes of a whole app: SIZE_OVERFLOW (4), HTTP 413, other apps unaffected', async () => {
    await start({ limits: { mediaStoredBytesPerApp: 150_000 } });
    const alice = await user('alice');
    await upload(alice, 100_000);
    const bob = await user('bob');
    await expect(upload(bob, 100_000)).rejects.toMatchObject({
      code: 4,
      message: 'The media of this app would pass 150000 bytes with this file; space comes back as stored files expire.',
    });
    expect((await startRaw(await raw('carol'), 60_000)).status).toBe(413);
    await expect(upload(await user('alice', OTHER_APP_ID), 100_000)).resolves.toMatchObject({ size: 100_000 });
  });
});
