import type { BeginUploadResult, MediaQuota, MediaStorage, PendingUpload, StoredMedia } from '../../core/media/media-storage.js';

/** Stored media are read back in pieces of this size, as a file would be. */
const READ_PIECE_BYTES = 64 * 1024;

interface UploadBytes {
  record: PendingUpload;
  /** The chunks that count (`record.received` bytes in all). */
  readonly chunks: Uint8Array[];
}

interface MediaBytes {
  readonly record: StoredMedia;
  readonly bytes: Uint8Array;
}

/**
 * Media kept in memory, for the in-process server: nothing survives `close()` (or a page reload).
 * Every byte is copied in and out, so neither an uploader's buffers nor a reader's pieces are
 * shared with what is stored. The same quotas as on disk: the bytes each user and app hold,
 * reserved at an upload's start.
 */
export class MemoryMediaStorage implements MediaStorage {
  readonly #uploads = new Map<string, UploadBytes>();
  readonly #media = new Map<string, MediaBytes>();
  readonly #userBytes = new Map<string, number>();
  readonly #appBytes = new Map<string, number>();

  async init(): Promise<void> {}

  async beginUpload(upload: PendingUpload, quota?: MediaQuota): Promise<BeginUploadResult> {
    if (quota) {
      if ((this.#userBytes.get(userKey(upload.appId, upload.uid)) ?? 0) + upload.size > quota.maxUserBytes) return { ok: false, over: 'user' };
      if ((this.#appBytes.get(upload.appId) ?? 0) + upload.size > quota.maxAppBytes) return { ok: false, over: 'app' };
    }
    this.#count(upload.appId, upload.uid, upload.size);
    this.#uploads.set(upload.uploadId, { record: upload, chunks: [] });
    return { ok: true };
  }

  async getUpload(uploadId: string): Promise<PendingUpload | null> {
    return this.#uploads.get(uploadId)?.record ?? null;
  }

  async appendUpload(uploadId: string, offset: number, body: AsyncIterable<Uint8Array>, at: number): Promise<PendingUpload> {
    const upload = this.#uploads.get(uploadId);
    if (!upload) throw new Error(`no upload ${uploadId}`);
    if (upload.record.received !== offset) throw new Error(`upload ${uploadId} is at ${upload.record.received}, not ${offset}`);
    // Collected aside: a body that fails leaves the upload as it was.
    const chunk: Uint8Array[] = [];
    let written = 0;
    for await (const piece of body) {
      chunk.push(new Uint8Array(piece));
      written += piece.byteLength;
    }
    const current = this.#uploads.get(uploadId);
    if (current !== upload) throw new Error(`upload ${uploadId} was discarded while writing`);
    if (upload.record.received !== offset) throw new Error(`upload ${uploadId} moved on while writing`);
    upload.chunks.push(...chunk);
    upload.record = { ...upload.record, received: offset + written, touchedAt: at };
    return upload.record;
  }

  async readUploadHead(uploadId: string, maxBytes: number): Promise<Uint8Array> {
    const upload = this.#uploads.get(uploadId);
    if (!upload) throw new Error(`no upload ${uploadId}`);
    return concat(upload.chunks, maxBytes);
  }

  async completeUpload(uploadId: string, media: StoredMedia): Promise<void> {
    const upload = this.#uploads.get(uploadId);
    if (!upload) throw new Error(`no upload ${uploadId}`);
    this.#uploads.delete(uploadId);
    this.#count(upload.record.appId, upload.record.uid, -upload.record.size);
    this.#count(media.appId, media.uploaderUid, media.size);
    this.#media.set(media.mediaId, { record: media, bytes: concat(upload.chunks, Infinity) });
  }

  async discardUpload(uploadId: string): Promise<boolean> {
    const upload = this.#uploads.get(uploadId);
    if (!upload) return false;
    this.#uploads.delete(uploadId);
    this.#count(upload.record.appId, upload.record.uid, -upload.record.size);
    return true;
  }

  async listUploads(): Promise<readonly PendingUpload[]> {
    return [...this.#uploads.values()].map((u) => u.record);
  }

  async getMedia(mediaId: string): Promise<StoredMedia | null> {
    return this.#media.get(mediaId)?.record ?? null;
  }

  async readMedia(mediaId: string): Promise<AsyncIterable<Uint8Array> | null> {
    const media = this.#media.get(mediaId);
    if (!media) return null;
    // Taken now: a delete after this still lets the read finish, as with an open file.
    const { bytes } = media;
    return (async function* () {
      for (let at = 0; at < bytes.byteLength; at += READ_PIECE_BYTES) yield bytes.slice(at, at + READ_PIECE_BYTES);
    })();
  }

  async deleteMedia(mediaId: string): Promise<boolean> {
    const media = this.#media.get(mediaId);
    if (!media) return false;
    this.#media.delete(mediaId);
    this.#count(media.record.appId, media.record.uploaderUid, -media.record.size);
    return true;
  }

  async listExpiredMedia(now: number): Promise<readonly StoredMedia[]> {
    return [...this.#media.values()].map((m) => m.record).filter((m) => m.expiresAt <= now);
  }

  async close(): Promise<void> {
    this.#uploads.clear();
    this.#media.clear();
    this.#userBytes.clear();
    this.#appBytes.clear();
  }

  /** Bytes held (stored media and reserved uploads), for tests: zero when nothing is kept. */
  heldBytes(): number {
    let total = 0;
    for (const bytes of this.#appBytes.values()) total += bytes;
    return total;
  }

  #count(appId: string, uid: string, bytes: number): void {
    add(this.#userBytes, userKey(appId, uid), bytes);
    add(this.#appBytes, appId, bytes);
  }
}

function userKey(appId: string, uid: string): string {
  // App IDs are 32 characters, so the key is unambiguous.
  return appId + uid;
}

function add(tally: Map<string, number>, key: string, bytes: number): void {
  const next = (tally.get(key) ?? 0) + bytes;
  if (next > 0) tally.set(key, next);
  else tally.delete(key);
}

function concat(chunks: readonly Uint8Array[], maxBytes: number): Uint8Array {
  let length = 0;
  for (const c of chunks) length += c.byteLength;
  const out = new Uint8Array(Math.min(length, maxBytes));
  let at = 0;
  for (const c of chunks) {
    if (at >= out.byteLength) break;
    const part = c.subarray(0, out.byteLength - at);
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}
