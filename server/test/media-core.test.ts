import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MEDIA_ID_PATTERN } from '@rtm-kit/protocol';
import { DiskMediaStorage, MemoryStore } from '@rtm-kit/server';
import { createCore, type Core } from '@rtm-kit/server/core';
import { createManualClock } from '@rtm-kit/server/testing';
import { APP_ID, RecordingRouter } from './peer-helpers.js';

async function* chunks(...parts: Uint8Array[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield part;
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<number[]> {
  const out: number[] = [];
  for await (const part of body) out.push(...part);
  return out;
}

/**
 * Media is a domain of the transport-free core (ARCHITECTURE.md): `createCore` composes the
 * service over an injected storage, so any transport, not only the HTTP binding, offers it.
 */
describe('media in the core, without HTTP', () => {
  /** The test's own temporary directory, removed after it; null when the test made none. */
  let dir: string | null = null;
  let core: Core | null = null;
  afterEach(async () => {
    core?.dispose();
    await core?.media?.dispose();
    core = null;
    if (dir !== null) await rm(dir, { recursive: true, force: true });
    dir = null;
  });

  async function coreWithMedia(): Promise<Core> {
    const own = await mkdtemp(join(tmpdir(), 'rtm-media-core-'));
    dir = own;
    core = createCore({
      store: new MemoryStore(),
      router: new RecordingRouter(),
      clock: createManualClock(1_000_000),
      tokens: { verify: () => ({ ok: true, expiresAt: null }) },
      newId: () => crypto.randomUUID(),
      media: { storage: new DiskMediaStorage(own) },
    });
    await core.media!.start();
    return core;
  }

  async function login(core: Core, uid: string) {
    const opened = await core.sessions.open({ v: 1, appId: APP_ID, uid, token: null, sessionId: null });
    if (!opened.ok) throw new Error(opened.error.message);
    return opened.session;
  }

  it('uploads and downloads through core.media, with the core\'s sessions and default IDs', async () => {
    const c = await coreWithMedia();
    const alice = await login(c, 'alice');
    const bob = await login(c, 'bob');
    const media = c.media!;
    const uploader = await media.authenticate({ appId: APP_ID, uid: 'alice', sessionId: alice.sessionId }, 'upload');
    await expect(media.authenticate({ appId: APP_ID, uid: 'alice', sessionId: bob.sessionId }, 'upload')).rejects.toMatchObject({
      codeName: 'UPLOAD_MEDIA_ERR_NOT_LOGGED_IN',
    });
    const { uploadId } = await media.startUpload(uploader, 4);
    expect(uploadId).toMatch(MEDIA_ID_PATTERN);
    const done = await media.appendChunk(uploader, uploadId, 0, 4, chunks(new Uint8Array([0x25, 0x50]), new Uint8Array([0x44, 0x46])));
    expect(done.media).toMatchObject({ size: 4 });
    const reader = await media.authenticate({ appId: APP_ID, uid: 'bob', sessionId: bob.sessionId }, 'download');
    const download = await media.openDownload(reader, done.media!.mediaId);
    try {
      expect(await collect(download.body)).toEqual([0x25, 0x50, 0x44, 0x46]);
    } finally {
      download.release();
    }
  });

  it('abandons the uploads of a session when the core ends it (the core wires the lifecycle)', async () => {
    const c = await coreWithMedia();
    const alice = await login(c, 'alice');
    const uploader = await c.media!.authenticate({ appId: APP_ID, uid: 'alice', sessionId: alice.sessionId }, 'upload');
    const { uploadId } = await c.media!.startUpload(uploader, 10);
    await c.media!.appendChunk(uploader, uploadId, 0, 4, chunks(new Uint8Array(4)));
    const uploads = join(dir!, 'uploads');
    expect(await readdir(uploads)).toHaveLength(1);
    await c.sessions.logout(alice);
    expect(await readdir(uploads)).toEqual([]);
  });

  it('has no media service when it is given no storage', () => {
    const c = createCore({
      store: new MemoryStore(),
      router: new RecordingRouter(),
      clock: createManualClock(),
      tokens: { verify: () => ({ ok: true, expiresAt: null }) },
      newId: () => crypto.randomUUID(),
    });
    expect(c.media).toBeNull();
    c.dispose();
  });
});
