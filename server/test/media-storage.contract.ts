import { describe, expect, it } from 'vitest';
import type { MediaStorage, PendingUpload, StoredMedia } from '@rtm-kit/server';

const APP = '0123456789abcdef0123456789abcdef';
const id = (c: string) => c.repeat(32);

function upload(uploadId: string, size: number, extra: Partial<PendingUpload> = {}): PendingUpload {
  return { uploadId, appId: APP, uid: 'alice', size, received: 0, startedAt: 1, touchedAt: 1, ...extra };
}

function media(mediaId: string, size: number, expiresAt = 1_000): StoredMedia {
  return { mediaId, appId: APP, uploaderUid: 'alice', size, contentType: 'image/png', createdAt: 1, expiresAt };
}

async function* pieces(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield new TextEncoder().encode(p);
}

async function* failing(first: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(first);
  throw new Error('connection cut');
}

async function text(stream: AsyncIterable<Uint8Array> | null): Promise<string | null> {
  if (!stream) return null;
  const parts: Uint8Array[] = [];
  for await (const p of stream) parts.push(p);
  return Buffer.concat(parts).toString('utf8');
}

/** What every `MediaStorage` must do; run by each implementation's test. */
export function describeMediaStorageContract(make: () => Promise<MediaStorage>): void {
  describe('MediaStorage contract', () => {
    it('appends chunks at the received offset and turns a complete upload into media', async () => {
      const storage = await make();
      await storage.beginUpload(upload(id('u'), 11));
      expect(await storage.appendUpload(id('u'), 0, pieces('hello', ' '), 5)).toMatchObject({ received: 6, touchedAt: 5 });
      expect(await storage.appendUpload(id('u'), 6, pieces('world'), 7)).toMatchObject({ received: 11, touchedAt: 7 });
      expect(Buffer.from(await storage.readUploadHead(id('u'), 4)).toString()).toBe('hell');
      await storage.completeUpload(id('u'), media(id('m'), 11));
      expect(await storage.getUpload(id('u'))).toBeNull();
      expect(await storage.getMedia(id('m'))).toEqual(media(id('m'), 11));
      expect(await text(await storage.readMedia(id('m')))).toBe('hello world');
      await storage.close();
    });

    it('refuses a chunk at the wrong offset', async () => {
      const storage = await make();
      await storage.beginUpload(upload(id('u'), 10));
      await expect(storage.appendUpload(id('u'), 3, pieces('abc'), 2)).rejects.toThrow();
      expect((await storage.getUpload(id('u')))?.received).toBe(0);
      await storage.close();
    });

    it('keeps received where it was when a chunk fails, and the next chunk replaces its bytes', async () => {
      const storage = await make();
      await storage.beginUpload(upload(id('u'), 8));
      await storage.appendUpload(id('u'), 0, pieces('abcd'), 2);
      await expect(storage.appendUpload(id('u'), 4, failing('XX'), 3)).rejects.toThrow('connection cut');
      expect(await storage.getUpload(id('u'))).toMatchObject({ received: 4, touchedAt: 2 });
      await storage.appendUpload(id('u'), 4, pieces('efgh'), 4);
      await storage.completeUpload(id('u'), media(id('m'), 8));
      expect(await text(await storage.readMedia(id('m')))).toBe('abcdefgh');
      await storage.close();
    });

    it('discards uploads and deletes media, once', async () => {
      const storage = await make();
      await storage.beginUpload(upload(id('a'), 3));
      await storage.beginUpload(upload(id('b'), 3));
      expect((await storage.listUploads()).map((u) => u.uploadId).sort()).toEqual([id('a'), id('b')]);
      expect(await storage.discardUpload(id('a'))).toBe(true);
      expect(await storage.discardUpload(id('a'))).toBe(false);
      expect((await storage.listUploads()).map((u) => u.uploadId)).toEqual([id('b')]);

      await storage.appendUpload(id('b'), 0, pieces('xyz'), 2);
      await storage.completeUpload(id('b'), media(id('m'), 3));
      expect(await storage.deleteMedia(id('m'))).toBe(true);
      expect(await storage.deleteMedia(id('m'))).toBe(false);
      expect(await storage.getMedia(id('m'))).toBeNull();
      expect(await storage.readMedia(id('m'))).toBeNull();
      await storage.close();
    });

    it('lists media expired at a time', async () => {
      const storage = await make();
      for (const [c, expiresAt] of [['a', 100], ['b', 200], ['c', 300]] as const) {
        await storage.beginUpload(upload(id(c), 1));
        await storage.appendUpload(id(c), 0, pieces(c), 1);
        await storage.completeUpload(id(c), media(id(c.toUpperCase()), 1, expiresAt));
      }
      expect((await storage.listExpiredMedia(99)).map((m) => m.mediaId)).toEqual([]);
      expect((await storage.listExpiredMedia(200)).map((m) => m.mediaId).sort()).toEqual([id('A'), id('B')]);
      await storage.close();
    });

    it('knows nothing of IDs it never stored', async () => {
      const storage = await make();
      expect(await storage.getUpload(id('z'))).toBeNull();
      expect(await storage.getMedia(id('z'))).toBeNull();
      expect(await storage.readMedia(id('z'))).toBeNull();
      expect(await storage.discardUpload(id('z'))).toBe(false);
      await storage.close();
    });
  });
}
