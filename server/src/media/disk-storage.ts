import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { MEDIA_ID_PATTERN } from '@rtm-kit/protocol';
import type { BeginUploadResult, MediaQuota, MediaStorage, PendingUpload, StoredMedia } from '../core/media/media-storage.js';

export interface DiskMediaStorageOptions {
  /** Delete the whole directory on `close()` (for a private temporary directory). */
  readonly removeOnClose?: boolean;
}

/**
 * Media in a directory on disk: `media/<id>` holds the bytes and `media/<id>.json` the record;
 * `uploads/<id>.part` holds uploads in progress. Records are indexed in memory at start, so
 * lookups and expiry sweeps never scan the directory; a restart with the same directory serves
 * the same media. Uploads in progress do not survive a restart (their clients have failed by
 * then), so their leftover bytes are deleted at start.
 *
 * One process per directory: two servers sharing one would each sweep from their own index.
 * The bytes each user and app hold (for the quotas of `beginUpload`) are tallied in memory from
 * the same index, so they survive a restart with the media.
 */
export class DiskMediaStorage implements MediaStorage {
  readonly dir: string;
  readonly #mediaDir: string;
  readonly #uploadsDir: string;
  readonly #removeOnClose: boolean;
  readonly #media = new Map<string, StoredMedia>();
  readonly #uploads = new Map<string, PendingUpload>();
  /** Bytes held (media and reserved uploads) per user (`appId` + uid) and per app ID. */
  readonly #userBytes = new Map<string, number>();
  readonly #appBytes = new Map<string, number>();

  constructor(dir: string, options: DiskMediaStorageOptions = {}) {
    this.dir = dir;
    this.#mediaDir = join(dir, 'media');
    this.#uploadsDir = join(dir, 'uploads');
    this.#removeOnClose = options.removeOnClose === true;
  }

  async init(): Promise<void> {
    await mkdir(this.#mediaDir, { recursive: true });
    await mkdir(this.#uploadsDir, { recursive: true });
    for (const name of await readdir(this.#uploadsDir)) await rm(join(this.#uploadsDir, name), { force: true });

    const names = new Set(await readdir(this.#mediaDir));
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      const mediaId = name.slice(0, -'.json'.length);
      const record = MEDIA_ID_PATTERN.test(mediaId) && names.has(mediaId) ? await readRecord(join(this.#mediaDir, name)) : null;
      if (record && record.mediaId === mediaId) {
        this.#media.set(mediaId, record);
        this.#count(record.appId, record.uploaderUid, record.size);
      } else await rm(join(this.#mediaDir, name), { force: true });
    }
    // Bytes without a record: a crash between storing the bytes and the record.
    for (const name of names) {
      if (!name.endsWith('.json') && !this.#media.has(name)) await rm(join(this.#mediaDir, name), { force: true });
    }
  }

  async beginUpload(upload: PendingUpload, quota?: MediaQuota): Promise<BeginUploadResult> {
    if (quota) {
      if ((this.#userBytes.get(upload.appId + upload.uid) ?? 0) + upload.size > quota.maxUserBytes) return { ok: false, over: 'user' };
      if ((this.#appBytes.get(upload.appId) ?? 0) + upload.size > quota.maxAppBytes) return { ok: false, over: 'app' };
    }
    // Reserved before the file is created (no await in between the check and this), released if
    // creating it fails.
    this.#count(upload.appId, upload.uid, upload.size);
    try {
      const handle = await open(this.#partPath(upload.uploadId), 'wx');
      await handle.close();
    } catch (error) {
      this.#count(upload.appId, upload.uid, -upload.size);
      throw error;
    }
    this.#uploads.set(upload.uploadId, upload);
    return { ok: true };
  }

  async getUpload(uploadId: string): Promise<PendingUpload | null> {
    return this.#uploads.get(uploadId) ?? null;
  }

  async appendUpload(uploadId: string, offset: number, body: AsyncIterable<Uint8Array>, at: number): Promise<PendingUpload> {
    const upload = this.#uploads.get(uploadId);
    if (!upload) throw new Error(`no upload ${uploadId}`);
    if (upload.received !== offset) throw new Error(`upload ${uploadId} is at ${upload.received}, not ${offset}`);
    let written = 0;
    const counted = async function* () {
      for await (const chunk of body) {
        written += chunk.byteLength;
        yield chunk;
      }
    };
    // Writing at the offset (not appending) means a failed chunk's bytes are simply overwritten
    // by the next one; only `received` says which bytes belong to the upload.
    await pipeline(counted, createWriteStream(this.#partPath(uploadId), { flags: 'r+', start: offset }));
    const current = this.#uploads.get(uploadId);
    if (!current) throw new Error(`upload ${uploadId} was discarded while writing`);
    const next: PendingUpload = { ...current, received: offset + written, touchedAt: at };
    this.#uploads.set(uploadId, next);
    return next;
  }

  async readUploadHead(uploadId: string, maxBytes: number): Promise<Uint8Array> {
    const handle = await open(this.#partPath(uploadId), 'r');
    try {
      const buffer = new Uint8Array(maxBytes);
      const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  async completeUpload(uploadId: string, media: StoredMedia): Promise<void> {
    if (!this.#uploads.has(uploadId)) throw new Error(`no upload ${uploadId}`);
    const bytesPath = join(this.#mediaDir, checkedId(media.mediaId));
    const recordPath = `${bytesPath}.json`;
    // Bytes first, then the record (written aside and renamed, so it is whole or absent): a
    // crash in between leaves bytes without a record, which `init` deletes.
    await rename(this.#partPath(uploadId), bytesPath);
    await writeFile(`${recordPath}.tmp`, JSON.stringify(media));
    await rename(`${recordPath}.tmp`, recordPath);
    const upload = this.#uploads.get(uploadId);
    this.#uploads.delete(uploadId);
    // The upload's reservation becomes the media's bytes.
    if (upload) this.#count(upload.appId, upload.uid, -upload.size);
    this.#count(media.appId, media.uploaderUid, media.size);
    this.#media.set(media.mediaId, media);
  }

  async discardUpload(uploadId: string): Promise<boolean> {
    const upload = this.#uploads.get(uploadId);
    if (!upload) return false;
    this.#uploads.delete(uploadId);
    this.#count(upload.appId, upload.uid, -upload.size);
    await rm(this.#partPath(uploadId), { force: true });
    return true;
  }

  async listUploads(): Promise<readonly PendingUpload[]> {
    return [...this.#uploads.values()];
  }

  async getMedia(mediaId: string): Promise<StoredMedia | null> {
    return this.#media.get(mediaId) ?? null;
  }

  async readMedia(mediaId: string): Promise<AsyncIterable<Uint8Array> | null> {
    if (!this.#media.has(mediaId)) return null;
    try {
      // Opened before returning, so a file deleted meanwhile is "gone", not a stream error later.
      const handle = await open(join(this.#mediaDir, checkedId(mediaId)), 'r');
      return handle.createReadStream();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async deleteMedia(mediaId: string): Promise<boolean> {
    const media = this.#media.get(mediaId);
    if (!media) return false;
    this.#media.delete(mediaId);
    this.#count(media.appId, media.uploaderUid, -media.size);
    const bytesPath = join(this.#mediaDir, checkedId(mediaId));
    // The record goes first: without it, nothing serves the bytes and `init` would delete them.
    await unlink(`${bytesPath}.json`).catch(ignoreMissing);
    await unlink(bytesPath).catch(ignoreMissing);
    return true;
  }

  async listExpiredMedia(now: number): Promise<readonly StoredMedia[]> {
    return [...this.#media.values()].filter((m) => m.expiresAt <= now);
  }

  async close(): Promise<void> {
    this.#uploads.clear();
    this.#media.clear();
    this.#userBytes.clear();
    this.#appBytes.clear();
    if (this.#removeOnClose) await rm(this.dir, { recursive: true, force: true });
  }

  #count(appId: string, uid: string, bytes: number): void {
    add(this.#userBytes, appId + uid, bytes);
    add(this.#appBytes, appId, bytes);
  }

  #partPath(uploadId: string): string {
    return join(this.#uploadsDir, `${checkedId(uploadId)}.part`);
  }
}

/** Adds to a tally, dropping entries that reach zero so the maps hold only what is stored. */
function add(tally: Map<string, number>, key: string, bytes: number): void {
  const next = (tally.get(key) ?? 0) + bytes;
  if (next > 0) tally.set(key, next);
  else tally.delete(key);
}

/** IDs become file names; anything but the generated format never reaches the file system. */
function checkedId(id: string): string {
  if (!MEDIA_ID_PATTERN.test(id)) throw new Error('malformed media or upload ID');
  return id;
}

async function readRecord(path: string): Promise<StoredMedia | null> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as Partial<StoredMedia>;
    const ok =
      typeof value.mediaId === 'string' &&
      typeof value.appId === 'string' &&
      typeof value.uploaderUid === 'string' &&
      typeof value.size === 'number' &&
      typeof value.contentType === 'string' &&
      typeof value.createdAt === 'number' &&
      typeof value.expiresAt === 'number';
    return ok ? (value as StoredMedia) : null;
  } catch {
    return null;
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
