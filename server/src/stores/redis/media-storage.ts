import { Redis } from 'ioredis';
import { MEDIA_ID_PATTERN } from '@rtm-kit/protocol';
import type { BeginUploadResult, MediaQuota, MediaStorage, PendingUpload, StoredMedia } from '../../core/media/media-storage.js';
import { RedisKeys } from './keys.js';
import { MEDIA_SCRIPTS } from './media-lua.js';
import { defineScripts, TTL_SLACK_MS } from './scripts.js';
import { randomId } from '../../core/secrets.js';

export interface RedisMediaStorageOptions {
  /** Where Redis is (default `redis://127.0.0.1:6379`). Ignored with `client`. */
  readonly url?: string | undefined;
  /** A client to use instead of connecting (without ioredis `keyPrefix`); not closed by `close()`. */
  readonly client?: Redis | undefined;
  /** What every key starts with (default `rtm:`), the fleet's store prefix; no braces. */
  readonly keyPrefix?: string | undefined;
  /**
   * An upload no chunk reached for this long is deleted and its bytes released by the storage
   * itself, in case no node's media service swept it (they sweep after `mediaUploadIdleMs`).
   * Default 1 hour.
   */
  readonly abandonedUploadMs?: number | undefined;
}

/** A download reads this much per round trip, so a 30 MB file never sits whole in one buffer. */
const READ_SLICE_BYTES = 512 * 1024;
/** A chunk is sent on to Redis in pieces of about this size as it arrives. */
const STAGE_BYTES = 512 * 1024;
/** Stored files outlive their expiry by this long in Redis, so sweeps find their records. */
const MEDIA_SLACK_MS = 60 * 60_000;
/** A chunk staged this long ago without being committed belonged to a node that died. */
const STAGING_TTL_MS = 10 * 60_000;
/** Lapsed holdings one upload start deletes at most (the rest go with the next ones). */
const SWEEP_PER_BEGIN = 64;
/** Expired files one `listExpiredMedia` returns at most; the sweep after it finds the rest. */
const EXPIRED_PER_LIST = 1_000;

/**
 * Media in Redis: records, uploads in progress, the byte tallies of the quotas and the bytes
 * themselves, so every node of a fleet serves every file with no shared volume (layout and
 * scripts: `media-lua.ts`). Each state change is one script over one app's keys; the indexes
 * that are not per app (which app an ID belongs to, the expiry order of all files, the uploads in
 * progress) are updated after it and read as hints, so a stale entry costs a lookup, never a
 * wrong answer.
 *
 * The bytes live in Redis's memory: size `maxmemory` for `mediaStoredBytesPerApp` of each app (2
 * GB by default) and keep `maxmemory-policy noeviction`, or use a storage on disk or an object
 * store for large volumes.
 *
 * @example
 * const mediaStorage = new RedisMediaStorage({ url: 'redis://127.0.0.1:6379', keyPrefix: 'rtm:' });
 * const server = await startServer({ store: { redis: 'redis://127.0.0.1:6379' }, mediaStorage });
 */
export class RedisMediaStorage implements MediaStorage {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  readonly #owned: boolean;
  readonly #abandonMs: number;
  readonly #scripts;
  #closing: Promise<void> | null = null;

  constructor(options: RedisMediaStorageOptions = {}) {
    if (options.client?.options.keyPrefix) {
      throw new Error('Give RedisMediaStorage a client without ioredis keyPrefix; pass keyPrefix to it instead.');
    }
    this.#keys = new RedisKeys(options.keyPrefix ?? 'rtm:');
    this.#owned = options.client === undefined;
    this.#redis = options.client ?? new Redis(options.url ?? 'redis://127.0.0.1:6379');
    this.#abandonMs = options.abandonedUploadMs ?? 60 * 60_000;
    this.#scripts = defineScripts(this.#redis, 'media', MEDIA_SCRIPTS);
  }

  async init(): Promise<void> {
    await this.#redis.ping();
  }

  async beginUpload(upload: PendingUpload, quota?: MediaQuota): Promise<BeginUploadResult> {
    const { appId, uploadId, uid } = upload;
    checkedId(uploadId);
    // The owner first, so the upload is found by ID as soon as it exists.
    await this.#redis.set(this.#keys.mediaOwner(uploadId), appId, 'PX', this.#abandonMs + TTL_SLACK_MS);
    const result = String(
      await this.#scripts.begin(
        [...this.#tallies(appId), this.#keys.media(appId, 'upload', uploadId)],
        [
          this.#keys.mediaBase(appId),
          upload.startedAt,
          SWEEP_PER_BEGIN,
          uploadId,
          uid,
          upload.size,
          quota?.maxUserBytes ?? -1,
          quota?.maxAppBytes ?? -1,
          this.#abandonMs,
          TTL_SLACK_MS,
        ],
      ),
    );
    if (result === 'user' || result === 'app') {
      await this.#redis.del(this.#keys.mediaOwner(uploadId));
      return { ok: false, over: result };
    }
    await this.#redis.zadd(this.#keys.mediaUploads(), upload.startedAt, `${appId}:${uploadId}`);
    return { ok: true };
  }

  async getUpload(uploadId: string): Promise<PendingUpload | null> {
    const appId = await this.#owner(uploadId);
    return appId === null ? null : this.#readUpload(appId, uploadId);
  }

  async appendUpload(uploadId: string, offset: number, body: AsyncIterable<Uint8Array>, at: number): Promise<PendingUpload> {
    const appId = await this.#owner(uploadId);
    const upload = appId === null ? null : await this.#readUpload(appId, uploadId);
    if (appId === null || upload === null) throw new Error(`no upload ${uploadId}`);
    if (upload.received !== offset) throw new Error(`upload ${uploadId} is at ${upload.received}, not ${offset}`);
    const uploadKey = this.#keys.media(appId, 'upload', uploadId);
    // A key of this attempt alone: a failed chunk is dropped whole, and only the commit below,
    // which checks that the bytes end at `offset`, adds it to the upload.
    const staging = this.#keys.media(appId, 'staging', `${uploadId}.${randomId()}`);
    const started = performance.now();
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      const piece = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      // While a chunk streams in, the upload is not idle for another node's sweep either.
      await Promise.all([
        this.#redis.multi().append(staging, piece).pexpire(staging, STAGING_TTL_MS).exec(),
        this.#scripts.live([uploadKey], [Math.round(at + performance.now() - started)]),
      ]);
    };
    try {
      for await (const chunk of body) {
        pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        pendingBytes += chunk.byteLength;
        if (pendingBytes >= STAGE_BYTES) await flush();
      }
      await flush();
    } catch (error) {
      await Promise.all([this.#redis.del(staging), this.#redis.hdel(uploadKey, 'live')]).catch(() => undefined);
      throw error;
    }
    await this.#scripts.commit(
      [uploadKey, this.#keys.media(appId, 'uploadBytes', uploadId), staging, ...this.#tallies(appId)],
      [uploadId, offset, at, this.#abandonMs, TTL_SLACK_MS],
    );
    await this.#redis.pexpire(this.#keys.mediaOwner(uploadId), this.#abandonMs + TTL_SLACK_MS);
    const next = await this.#readUpload(appId, uploadId);
    if (!next) throw new Error(`upload ${uploadId} was discarded while writing`);
    return next;
  }

  async readUploadHead(uploadId: string, maxBytes: number): Promise<Uint8Array> {
    const appId = await this.#owner(uploadId);
    if (appId === null || maxBytes <= 0) return new Uint8Array(0);
    return new Uint8Array(await this.#redis.getrangeBuffer(this.#keys.media(appId, 'uploadBytes', uploadId), 0, maxBytes - 1));
  }

  async completeUpload(uploadId: string, media: StoredMedia): Promise<void> {
    const appId = await this.#owner(uploadId);
    if (appId === null) throw new Error(`no upload ${uploadId}`);
    if (media.appId !== appId) throw new Error(`upload ${uploadId} belongs to another app`);
    const { mediaId } = media;
    checkedId(mediaId);
    await this.#scripts.complete(
      [
        this.#keys.media(appId, 'upload', uploadId),
        this.#keys.media(appId, 'uploadBytes', uploadId),
        this.#keys.media(appId, 'record', mediaId),
        this.#keys.media(appId, 'bytes', mediaId),
        ...this.#tallies(appId),
      ],
      [uploadId, mediaId, media.uploaderUid, media.size, media.contentType, media.createdAt, media.expiresAt, MEDIA_SLACK_MS],
    );
    const ttl = Math.max(1, media.expiresAt - media.createdAt) + MEDIA_SLACK_MS;
    await this.#redis
      .multi()
      .set(this.#keys.mediaOwner(mediaId), appId, 'PX', ttl)
      .zadd(this.#keys.mediaExpiry(), media.expiresAt, `${appId}:${mediaId}`)
      .del(this.#keys.mediaOwner(uploadId))
      .zrem(this.#keys.mediaUploads(), `${appId}:${uploadId}`)
      .exec();
  }

  async discardUpload(uploadId: string): Promise<boolean> {
    const appId = await this.#owner(uploadId);
    if (appId === null) return false;
    const existed = await this.#forget(appId, 'upload', 'uploadBytes', uploadId);
    await this.#redis.multi().del(this.#keys.mediaOwner(uploadId)).zrem(this.#keys.mediaUploads(), `${appId}:${uploadId}`).exec();
    return existed;
  }

  async listUploads(): Promise<readonly PendingUpload[]> {
    // Every session end lists them: one round trip for all records, not one per upload.
    const members = (await this.#redis.zrange(this.#keys.mediaUploads(), 0, -1)).map((member) => {
      const [appId = '', uploadId = ''] = member.split(':');
      return { member, appId, uploadId };
    }).filter(({ uploadId }) => MEDIA_ID_PATTERN.test(uploadId));
    if (members.length === 0) return [];
    const reads = this.#redis.pipeline();
    for (const { appId, uploadId } of members) reads.hgetall(this.#keys.media(appId, 'upload', uploadId));
    const replies = (await reads.exec()) ?? [];
    const uploads: PendingUpload[] = [];
    const stale: string[] = [];
    members.forEach(({ member, appId, uploadId }, i) => {
      const [error, fields] = replies[i] ?? [null, {}];
      const upload = error ? null : uploadOf(appId, uploadId, fields as Record<string, string>, true);
      if (upload) uploads.push(upload);
      else if (!error) stale.push(member);
    });
    if (stale.length > 0) await this.#redis.zrem(this.#keys.mediaUploads(), ...stale);
    return uploads;
  }

  async getMedia(mediaId: string): Promise<StoredMedia | null> {
    const appId = await this.#owner(mediaId);
    return appId === null ? null : this.#readMedia(appId, mediaId);
  }

  async readMedia(mediaId: string): Promise<AsyncIterable<Uint8Array> | null> {
    const media = await this.getMedia(mediaId);
    if (!media) return null;
    return this.#slices(this.#keys.media(media.appId, 'bytes', mediaId), media.size);
  }

  async deleteMedia(mediaId: string): Promise<boolean> {
    const appId = await this.#owner(mediaId);
    if (appId === null) return false;
    const existed = await this.#forget(appId, 'record', 'bytes', mediaId);
    await this.#redis.multi().del(this.#keys.mediaOwner(mediaId)).zrem(this.#keys.mediaExpiry(), `${appId}:${mediaId}`).exec();
    return existed;
  }

  async listExpiredMedia(now: number): Promise<readonly StoredMedia[]> {
    const members = await this.#redis.zrangebyscore(this.#keys.mediaExpiry(), '-inf', now, 'LIMIT', 0, EXPIRED_PER_LIST);
    const expired: StoredMedia[] = [];
    for (const member of members) {
      const [appId = '', mediaId = ''] = member.split(':');
      const media = await this.#readMedia(appId, mediaId);
      if (media) {
        expired.push(media);
        continue;
      }
      // Its keys expired in Redis before any sweep: release what the app's tallies still count.
      await this.#redis.zrem(this.#keys.mediaExpiry(), member);
      await this.#scripts.sweep(this.#tallies(appId), [this.#keys.mediaBase(appId), now, EXPIRED_PER_LIST]);
    }
    return expired;
  }

  close(): Promise<void> {
    this.#closing ??= this.#owned && this.#redis.status !== 'end' ? this.#redis.quit().then(() => undefined) : Promise.resolve();
    return this.#closing;
  }

  /** Holdings, held, user bytes, app bytes: the first keys of every script that counts bytes. */
  #tallies(appId: string): [string, string, string, string] {
    const k = this.#keys;
    return [k.mediaHoldings(appId), k.mediaHeld(appId), k.mediaUserBytes(appId), k.mediaAppBytes(appId)];
  }

  async #forget(appId: string, record: 'record' | 'upload', bytes: 'bytes' | 'uploadBytes', id: string): Promise<boolean> {
    const [holdings, held, userBytes, appBytes] = this.#tallies(appId);
    const keys = [this.#keys.media(appId, record, id), this.#keys.media(appId, bytes, id), holdings, held, userBytes, appBytes];
    return Number(await this.#scripts.forget(keys, [id])) === 1;
  }

  /** The app of a media or upload ID; null for IDs never stored (or malformed ones). */
  async #owner(id: string): Promise<string | null> {
    if (!MEDIA_ID_PATTERN.test(id)) return null;
    return this.#redis.get(this.#keys.mediaOwner(id));
  }

  async #readUpload(appId: string, uploadId: string): Promise<PendingUpload | null> {
    if (!MEDIA_ID_PATTERN.test(uploadId)) return null;
    return uploadOf(appId, uploadId, await this.#redis.hgetall(this.#keys.media(appId, 'upload', uploadId)), false);
  }

  async #readMedia(appId: string, mediaId: string): Promise<StoredMedia | null> {
    if (!MEDIA_ID_PATTERN.test(mediaId)) return null;
    const f = await this.#redis.hgetall(this.#keys.media(appId, 'record', mediaId));
    if (f['uploaderUid'] === undefined) return null;
    return {
      mediaId,
      appId,
      uploaderUid: f['uploaderUid'],
      size: Number(f['size']),
      contentType: f['contentType'] ?? 'application/octet-stream',
      createdAt: Number(f['createdAt']),
      expiresAt: Number(f['expiresAt']),
    };
  }

  /** The bytes in slices (GETRANGE); a file deleted mid-read fails the read rather than end it short. */
  async *#slices(key: string, size: number): AsyncGenerator<Uint8Array, void, undefined> {
    for (let start = 0; start < size; start += READ_SLICE_BYTES) {
      const end = Math.min(size, start + READ_SLICE_BYTES) - 1;
      const slice = await this.#redis.getrangeBuffer(key, start, end);
      if (slice.byteLength !== end - start + 1) throw new Error('the media was deleted while it was being read');
      yield slice;
    }
  }
}

function checkedId(id: string): string {
  if (!MEDIA_ID_PATTERN.test(id)) throw new Error('malformed media or upload ID');
  return id;
}

/**
 * An upload's record from its hash, or null when there is none. `listed`: as the sweep should see
 * it, idle only since the last bytes of a chunk still streaming in (on whichever node).
 */
function uploadOf(appId: string, uploadId: string, f: Record<string, string>, listed: boolean): PendingUpload | null {
  if (f['uid'] === undefined) return null;
  const touchedAt = Number(f['touchedAt']);
  return {
    uploadId,
    appId,
    uid: f['uid'],
    size: Number(f['size']),
    received: Number(f['received']),
    startedAt: Number(f['startedAt']),
    touchedAt: listed && f['live'] !== undefined ? Math.max(touchedAt, Number(f['live'])) : touchedAt,
  };
}
