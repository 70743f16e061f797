import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiskMediaStorage, type StoredMedia } from '@rtm-kit/server';
import { describeMediaStorageContract } from './media-storage.contract.js';

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rtm-media-storage-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function* bytesOf(text: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(text);
}

const ID = 'M'.repeat(32);
const record: StoredMedia = { mediaId: ID, appId: 'a'.repeat(32), uploaderUid: 'alice', size: 5, contentType: 'application/pdf', createdAt: 1, expiresAt: 2 };

describe('DiskMediaStorage', () => {
  describeMediaStorageContract(async () => {
    const storage = new DiskMediaStorage(await freshDir());
    await storage.init();
    return storage;
  });

  it('serves what a previous run stored, and deletes leftovers of one that crashed', async () => {
    const dir = await freshDir();
    const first = new DiskMediaStorage(dir);
    await first.init();
    await first.beginUpload({ uploadId: 'U'.repeat(32), appId: record.appId, uid: 'alice', size: 5, received: 0, startedAt: 1, touchedAt: 1 });
    await first.appendUpload('U'.repeat(32), 0, bytesOf('%PDF-'), 1);
    await first.completeUpload('U'.repeat(32), record);
    await first.beginUpload({ uploadId: 'P'.repeat(32), appId: record.appId, uid: 'alice', size: 5, received: 0, startedAt: 1, touchedAt: 1 });
    // What a crash can leave: bytes without a record, a half-written record, a stray file.
    await writeFile(join(dir, 'media', 'O'.repeat(32)), 'orphan');
    await writeFile(join(dir, 'media', `${'O'.repeat(32)}.json.tmp`), '{"half');
    await writeFile(join(dir, 'media', `${'B'.repeat(32)}.json`), 'not json');
    await writeFile(join(dir, 'media', 'B'.repeat(32)), 'bytes of a broken record');

    const second = new DiskMediaStorage(dir);
    await second.init();
    expect(await second.getMedia(ID)).toEqual(record);
    expect(await second.listUploads()).toEqual([]);
    expect(await readdir(join(dir, 'uploads'))).toEqual([]);
    expect((await readdir(join(dir, 'media'))).sort()).toEqual([ID, `${ID}.json`]);
  });

  it('removes its directory on close only when asked to', async () => {
    const kept = await freshDir();
    const a = new DiskMediaStorage(kept);
    await a.init();
    await a.close();
    expect((await stat(kept)).isDirectory()).toBe(true);

    const temporary = await freshDir();
    const b = new DiskMediaStorage(temporary, { removeOnClose: true });
    await b.init();
    await b.close();
    await expect(stat(temporary)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('never turns a malformed ID into a path', async () => {
    const storage = new DiskMediaStorage(await freshDir());
    await storage.init();
    const base = { appId: record.appId, uid: 'alice', size: 1, received: 0, startedAt: 1, touchedAt: 1 };
    await expect(storage.beginUpload({ ...base, uploadId: '../../etc/passwd' })).rejects.toThrow('malformed');
  });
});
