import { resolve } from 'node:path';
import type { MediaCoreOptions } from '../core/core.js';
import type { MediaService } from '../core/media/media-service.js';
import type { MediaStorage } from '../core/media/media-storage.js';
import { RedisMediaStorage } from '../stores/redis/media-storage.js';
import type { RedisStore } from '../stores/redis/index.js';
import { DiskMediaStorage } from './disk-storage.js';
import { createMediaHttpHandler, type MediaHttpHandler, type MediaHttpOptions } from './media-http.js';
import { createTempMediaDir } from './temp-dir.js';

/**
 * The Node side of media: storage on disk and the HTTP endpoints. The rules (who may upload and
 * download, sizes, slots, expiry) are the core's `MediaService` (server/src/core/media).
 */
export { DiskMediaStorage } from './disk-storage.js';
export type { DiskMediaStorageOptions } from './disk-storage.js';
export { createTempMediaDir, reclaimTempMediaDirs } from './temp-dir.js';
export { RedisMediaStorage } from '../stores/redis/media-storage.js';
export type { RedisMediaStorageOptions } from '../stores/redis/media-storage.js';
export { MediaService, detectContentType } from '../core/index.js';
export type { MediaCredentials, MediaPrincipal, MediaDownload, MediaServiceDeps, MediaStorage, StoredMedia, PendingUpload } from '../core/index.js';

export interface MediaStorageOptions {
  /** Keep media in this directory (created if missing); it survives restarts. */
  readonly dir?: string | undefined;
  /** Or keep media in this storage (shared storage for a fleet). */
  readonly storage?: MediaStorage | undefined;
  /** A fleet's Redis store: without `dir` and `storage`, media go there, on its client and key prefix. */
  readonly redis?: RedisStore | undefined;
}

/**
 * The core's media options for `startServer`: the given storage, a directory, a fleet's Redis, or by default a
 * private temporary directory that is deleted on close (like the memory store forgets everything
 * on restart) and, should the server die without closing, by the next server that starts on this
 * host (`createTempMediaDir`). IDs and the session check are the core's (Web Crypto, which Node has).
 */
export async function nodeMediaOptions(options: MediaStorageOptions): Promise<MediaCoreOptions> {
  const storage =
    options.storage ??
    (options.dir !== undefined
      ? new DiskMediaStorage(resolve(options.dir))
      : options.redis
        ? new RedisMediaStorage({ client: options.redis.redis, keyPrefix: options.redis.keys.prefix })
        : new DiskMediaStorage(await createTempMediaDir(), { removeOnClose: true }));
  return { storage };
}

export interface Media {
  readonly service: MediaService;
  readonly handle: MediaHttpHandler;
}

/** Start the core's media service (storage ready, sweeper running) and its HTTP handler. */
export async function startMedia(service: MediaService, options: MediaHttpOptions): Promise<Media> {
  await service.start();
  return { service, handle: createMediaHttpHandler(service, options) };
}

