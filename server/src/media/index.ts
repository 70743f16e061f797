import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Logger } from '../binding/requests.js';
import type { Core } from '../core/core.js';
import { DiskMediaStorage } from './disk-storage.js';
import { createMediaHttpHandler, type MediaHttpHandler, type MediaHttpOptions } from './media-http.js';
import { MediaService } from './media-service.js';
import type { MediaStorage } from './media-storage.js';

export { DiskMediaStorage } from './disk-storage.js';
export type { DiskMediaStorageOptions } from './disk-storage.js';
export { MediaService } from './media-service.js';
export type { MediaCredentials, MediaPrincipal, MediaDownload, MediaServiceDeps } from './media-service.js';
export type { MediaStorage, StoredMedia, PendingUpload } from './media-storage.js';
export { detectContentType } from './content-type.js';

export interface MediaOptions extends MediaHttpOptions {
  readonly core: Core;
  readonly log: Logger;
  /** Keep media in this directory (created if missing); it survives restarts. */
  readonly dir?: string | undefined;
  /** Or keep media in this storage (shared storage for a fleet). */
  readonly storage?: MediaStorage | undefined;
}

export interface Media {
  readonly service: MediaService;
  readonly handle: MediaHttpHandler;
}

/**
 * Media for `startServer`: storage (the given one, a directory, or by default a private temporary
 * directory that is deleted on close, like the memory store forgets everything on restart),
 * the service with its sweeper, and the HTTP handler.
 */
export async function startMedia(options: MediaOptions): Promise<Media> {
  const storage =
    options.storage ??
    (options.dir !== undefined
      ? new DiskMediaStorage(resolve(options.dir))
      : new DiskMediaStorage(await mkdtemp(join(tmpdir(), 'rtm-kit-media-')), { removeOnClose: true }));
  const { core } = options;
  const service = new MediaService({
    storage,
    sessions: core.sessions,
    clock: core.clock,
    limits: core.limits,
    timing: core.timing,
    newId: newMediaId,
    sameSecret,
    log: (level, message, detail) => options.log[level](message, detail),
  });
  await service.start();
  return { service, handle: createMediaHttpHandler(service, options) };
}

/** 24 random bytes (192 bits) as 32 URL-safe characters: `MEDIA_ID_PATTERN`. */
function newMediaId(): string {
  return randomBytes(24).toString('base64url');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
