import { MEDIA_ID_PATTERN, type MediaInfo, type MediaUploadProgress, type MediaUploadStarted } from '@rtm-kit/protocol';
import type { TimerHandle } from '../clock.js';
import { CoreError, NotFoundError } from '../errors.js';
import { RateLimiter } from '../rate-limits.js';
import type { SessionLifecycleListener } from '../sessions/lifecycle.js';
import type { SessionService } from '../sessions/session-service.js';
import type { SessionRecord } from '../sessions/store.js';
import { capBytes } from './capped-body.js';
import { CONTENT_SNIFF_BYTES, detectContentType } from './content-type.js';
import { cutWhenIdle } from './idle-body.js';
import type { BeginUploadResult, MediaQuota, MediaStorage, StoredMedia } from './media-storage.js';
import { MemoryMediaSlotStore, type MediaSlotStore } from './media-slots.js';
import type { CoreLog } from '../context.js';

/** What an HTTP request presents to act as a session. */
export interface MediaCredentials {
  readonly appId: string;
  readonly uid: string;
  readonly sessionId: string;
}

/** A user whose live session a request proved. */
export interface MediaPrincipal {
  readonly appId: string;
  readonly uid: string;
}
import type { ServiceContext } from '../context.js';

export interface MediaServiceDeps extends ServiceContext {
  readonly storage: MediaStorage;
  /** Where transfer slots are counted (the store's `mediaSlots`); default this process. */
  readonly slots?: MediaSlotStore | undefined;
  readonly sessions: SessionService;
  /** Unguessable IDs matching `MEDIA_ID_PATTERN`. */
  readonly newId: () => string;
  /** Compares two secrets in constant time. */
  readonly sameSecret: (a: string, b: string) => boolean;
  readonly log: CoreLog;
}

/** An open download: stream `body`, then call `release` exactly once (also on failure). */
export interface MediaDownload {
  readonly media: StoredMedia;
  readonly body: AsyncIterable<Uint8Array>;
  release(): void;
}

export type MediaDirection = 'upload' | 'download';

/**
 * File and image messages (1.4.x, spec §2.2, §10.2; server.md §4.7): chunked uploads with a hard
 * byte cap, downloads by any logged-in user of the uploader's app, at most
 * `mediaConcurrentTransfers` transfers per user, and media that expire after `mediaTtlMs`.
 *
 * Transport-free like the rest of the core: the bytes come and go as `AsyncIterable<Uint8Array>`
 * through an injected `MediaStorage`, so an HTTP binding (server/src/media) and an in-process
 * transport drive the same rules. `createCore` composes it when given a storage; the host calls
 * `start()` (prepare the storage, begin sweeping) and `dispose()`.
 * Transfer slots and the upload rate are counted in the store, so a fleet counts them across nodes.
 *
 * Quotas (server.md §4.7: "per-user quota + rate limit"), all per user so a new login resets
 * none: at most `mediaUploadRate` upload starts per window, and at most `mediaStoredBytesPerUser`
 * bytes held (within `mediaStoredBytesPerApp` for the app), counted by the storage from an upload's
 * start until its media expire and are swept. A chunk that stops arriving for `mediaChunkIdleMs`
 * ends its upload.
 */
export class MediaService implements SessionLifecycleListener {
  readonly #d: MediaServiceDeps;
  /** Transfers in flight per user; an unfinished upload holds its slot under its ID, so it is released once. */
  readonly #slots: MediaSlotStore;
  /** Uploads with a chunk being written right now. */
  readonly #writing = new Set<string>();
  readonly #uploadRate: RateLimiter;
  readonly #quota: MediaQuota;
  #sweepTimer: TimerHandle | null = null;
  #sweeping: Promise<void> | null = null;
  #disposed = false;

  constructor(deps: MediaServiceDeps) {
    this.#d = deps;
    this.#slots = deps.slots ?? new MemoryMediaSlotStore();
    this.#uploadRate = new RateLimiter(deps.rateLimits, 'mediaUpload', deps.limits.mediaUploadRate);
    this.#quota = { maxUserBytes: deps.limits.mediaStoredBytesPerUser, maxAppBytes: deps.limits.mediaStoredBytesPerApp };
  }

  /** Prepare the storage and start sweeping expired media and abandoned uploads. */
  async start(): Promise<void> {
    await this.#d.storage.init();
    this.#scheduleSweep();
  }

  /** Uploads belong to a live session: when it ends, nothing could finish them any more. */
  ended(session: SessionRecord): Promise<void> {
    return this.#abandonUploadsOf(session.appId, session.uid);
  }

  /** The user whose live session `credentials` name, or `…_NOT_LOGGED_IN`. */
  async authenticate(credentials: MediaCredentials | null, direction: MediaDirection): Promise<MediaPrincipal> {
    const code = direction === 'upload' ? 'UPLOAD_MEDIA_ERR_NOT_LOGGED_IN' : 'DOWNLOAD_MEDIA_ERR_NOT_LOGGED_IN';
    if (!credentials) throw new CoreError(code, 'Log in first: the request carries no session.');
    const session = await this.#d.sessions.get(credentials.appId, credentials.uid);
    if (!session || !this.#d.sameSecret(session.sessionId, credentials.sessionId)) {
      throw new CoreError(code, 'Log in first: no live session matches this request.');
    }
    return { appId: session.appId, uid: session.uid };
  }

  /** Start an upload of a file of `size` bytes. */
  async startUpload(user: MediaPrincipal, size: number): Promise<MediaUploadStarted> {
    if (!Number.isSafeInteger(size) || size <= 0) {
      throw new CoreError('UPLOAD_MEDIA_ERR_INVALID_ARGUMENT', 'The file must be non-empty and its size a whole number of bytes.');
    }
    if (size > this.#d.limits.mediaMaxBytes) {
      throw new CoreError('UPLOAD_MEDIA_ERR_SIZE_OVERFLOW', `The file is larger than ${this.#d.limits.mediaMaxBytes} bytes.`);
    }
    const now = this.#d.clock.now();
    // Counted before anything else is done for it, so refused starts cost the client too.
    await this.#uploadRate.take(userKey(user), now, 'UPLOAD_MEDIA_ERR_CONCURRENCY_LIMIT_EXCEEDED', 'Starting uploads');
    const uploadId = this.#d.newId();
    await this.#takeSlot(user, uploadId, now, 'UPLOAD_MEDIA_ERR_CONCURRENCY_LIMIT_EXCEEDED');
    let begun: BeginUploadResult;
    try {
      const upload = { uploadId, appId: user.appId, uid: user.uid, size, received: 0, startedAt: now, touchedAt: now };
      begun = await this.#d.storage.beginUpload(upload, this.#quota);
    } catch (error) {
      await this.#releaseUpload(user, uploadId);
      throw error;
    }
    if (!begun.ok) {
      await this.#releaseUpload(user, uploadId);
      const [whose, max] = begun.over === 'user' ? ['one user', this.#quota.maxUserBytes] : ['this app', this.#quota.maxAppBytes];
      throw new CoreError(
        'UPLOAD_MEDIA_ERR_SIZE_OVERFLOW',
        `The media of ${whose} would pass ${max} bytes with this file; space comes back as stored files expire.`,
      );
    }
    return { uploadId, chunkMaxBytes: this.#d.limits.mediaChunkMaxBytes };
  }

  /**
   * Write the next chunk of an upload. Any failure (a cut connection, too many bytes, a wrong
   * offset) ends the upload and deletes what it had: the client starts over rather than resume.
   * The answer to the last chunk carries the stored media.
   */
  async appendChunk(
    user: MediaPrincipal,
    uploadId: string,
    offset: number,
    contentLength: number | null,
    body: AsyncIterable<Uint8Array>,
  ): Promise<MediaUploadProgress> {
    const upload = MEDIA_ID_PATTERN.test(uploadId) ? await this.#d.storage.getUpload(uploadId) : null;
    if (!upload || upload.appId !== user.appId || upload.uid !== user.uid) {
      throw new NotFoundError('UPLOAD_MEDIA_ERR_FAILURE', 'No such upload: it was cancelled, completed or abandoned.');
    }
    if (this.#writing.has(uploadId)) {
      throw new CoreError('UPLOAD_MEDIA_ERR_INVALID_ARGUMENT', 'A chunk of this upload is already being written.');
    }
    this.#writing.add(uploadId);
    try {
      // A store whose slots lapse (a fleet's, so a dead node's slots come back) keeps this one.
      await this.#slots.renew?.(user.appId, user.uid, uploadId, this.#d.clock.now());
      if (offset !== upload.received) {
        throw new CoreError('UPLOAD_MEDIA_ERR_INVALID_ARGUMENT', `The chunk must start at byte ${upload.received}.`);
      }
      const allowed = Math.min(this.#d.limits.mediaChunkMaxBytes, upload.size - upload.received);
      const overflow = () =>
        new CoreError('UPLOAD_MEDIA_ERR_SIZE_OVERFLOW', `The chunk runs past ${allowed} bytes: more than the announced size or the chunk limit.`);
      if (contentLength !== null && contentLength > allowed) throw overflow();
      const idleMs = this.#d.timing.mediaChunkIdleMs;
      const stalled = () => new CoreError('UPLOAD_MEDIA_ERR_TIMEOUT', `No bytes of the chunk arrived for ${idleMs / 1000} s; the upload was discarded.`);
      const capped = capBytes(cutWhenIdle(body, idleMs, this.#d.clock, stalled), allowed, overflow);
      const written = await this.#d.storage.appendUpload(uploadId, offset, capped, this.#d.clock.now());
      if (written.received === offset) throw new CoreError('UPLOAD_MEDIA_ERR_INVALID_ARGUMENT', 'The chunk is empty.');
      if (written.received < upload.size) return { received: written.received, media: null };
      return { received: written.received, media: await this.#complete(uploadId, user) };
    } catch (error) {
      await this.#abandon(user, uploadId);
      if (error instanceof CoreError) throw error;
      // The body ended early (the connection was cut) or storage failed.
      throw new CoreError('UPLOAD_MEDIA_ERR_FAILURE', 'The upload failed before the chunk was complete; it was discarded.');
    } finally {
      this.#writing.delete(uploadId);
    }
  }

  /** Cancel an upload of this user; unknown IDs are ignored so the answer reveals nothing. */
  async cancelUpload(user: MediaPrincipal, uploadId: string): Promise<void> {
    if (!MEDIA_ID_PATTERN.test(uploadId)) return;
    const upload = await this.#d.storage.getUpload(uploadId);
    if (upload && upload.appId === user.appId && upload.uid === user.uid) await this.#abandon(user, uploadId);
  }

  /**
   * Open stored media for a user of the same app. Media of another app, expired media and IDs
   * that never existed are all `DOWNLOAD_MEDIA_ERR_NOT_EXIST`, so a caller learns nothing more.
   */
  async openDownload(user: MediaPrincipal, mediaId: string): Promise<MediaDownload> {
    const media = MEDIA_ID_PATTERN.test(mediaId) ? await this.#d.storage.getMedia(mediaId) : null;
    if (!media || media.appId !== user.appId || media.expiresAt <= this.#d.clock.now()) {
      throw new CoreError('DOWNLOAD_MEDIA_ERR_NOT_EXIST', 'No such media: the ID is wrong or the file has expired.');
    }
    const holder = this.#d.newId();
    await this.#takeSlot(user, holder, this.#d.clock.now(), 'DOWNLOAD_MEDIA_ERR_CONCURRENCY_LIMIT_EXCEEDED');
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      void this.#giveSlot(user, holder);
    };
    try {
      const body = await this.#d.storage.readMedia(mediaId);
      if (!body) throw new CoreError('DOWNLOAD_MEDIA_ERR_NOT_EXIST', 'No such media: the file has expired.');
      return { media, body, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  /** Delete expired media and abandoned uploads now (also runs every `mediaSweepIntervalMs`). */
  sweep(): Promise<void> {
    this.#sweeping ??= this.#sweep().finally(() => {
      this.#sweeping = null;
    });
    return this.#sweeping;
  }

  /** Stop sweeping and release the storage. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    if (this.#sweepTimer !== null) this.#d.clock.clearTimeout(this.#sweepTimer);
    this.#sweepTimer = null;
    await this.#sweeping?.catch(() => undefined);
    await this.#d.storage.close();
  }

  async #complete(uploadId: string, user: MediaPrincipal): Promise<MediaInfo> {
    const upload = await this.#d.storage.getUpload(uploadId);
    if (!upload) throw new CoreError('UPLOAD_MEDIA_ERR_FAILURE', 'The upload was cancelled.');
    const head = await this.#d.storage.readUploadHead(uploadId, CONTENT_SNIFF_BYTES);
    const now = this.#d.clock.now();
    const media: StoredMedia = {
      mediaId: this.#d.newId(),
      appId: user.appId,
      uploaderUid: user.uid,
      size: upload.size,
      contentType: detectContentType(head),
      createdAt: now,
      expiresAt: now + this.#d.timing.mediaTtlMs,
    };
    await this.#d.storage.completeUpload(uploadId, media);
    await this.#releaseUpload(user, uploadId);
    return { mediaId: media.mediaId, size: media.size, contentType: media.contentType, expiresAt: media.expiresAt };
  }

  async #abandon(owner: MediaPrincipal, uploadId: string): Promise<void> {
    try {
      await this.#d.storage.discardUpload(uploadId);
    } catch (error) {
      this.#d.log('error', 'discarding an upload failed', error);
    } finally {
      await this.#releaseUpload(owner, uploadId);
    }
  }

  async #abandonUploadsOf(appId: string, uid: string): Promise<void> {
    for (const upload of await this.#d.storage.listUploads()) {
      if (upload.appId === appId && upload.uid === uid) await this.#abandon(upload, upload.uploadId);
    }
  }

  async #sweep(): Promise<void> {
    const now = this.#d.clock.now();
    try {
      for (const media of await this.#d.storage.listExpiredMedia(now)) await this.#d.storage.deleteMedia(media.mediaId);
      for (const upload of await this.#d.storage.listUploads()) {
        if (upload.touchedAt + this.#d.timing.mediaUploadIdleMs <= now && !this.#writing.has(upload.uploadId)) {
          await this.#abandon(upload, upload.uploadId);
        }
      }
    } catch (error) {
      this.#d.log('error', 'sweeping media failed', error);
    }
  }

  #scheduleSweep(): void {
    if (this.#disposed) return;
    this.#sweepTimer = this.#d.clock.setTimeout(() => {
      // Re-armed first, so a slow sweep never stops the schedule; overlapping ticks share one run.
      this.#scheduleSweep();
      void this.sweep();
    }, this.#d.timing.mediaSweepIntervalMs);
  }

  async #takeSlot(
    user: MediaPrincipal,
    holder: string,
    now: number,
    code: 'UPLOAD_MEDIA_ERR_CONCURRENCY_LIMIT_EXCEEDED' | 'DOWNLOAD_MEDIA_ERR_CONCURRENCY_LIMIT_EXCEEDED',
  ): Promise<void> {
    const max = this.#d.limits.mediaConcurrentTransfers;
    if (!(await this.#slots.take(user.appId, user.uid, holder, max, now))) {
      throw new CoreError(code, `At most ${max} uploads and downloads may run at once.`);
    }
  }

  /** Never rejects: a slot that could not be given back lapses in a shared store. */
  async #giveSlot(user: MediaPrincipal, holder: string): Promise<void> {
    try {
      await this.#slots.give(user.appId, user.uid, holder);
    } catch (error) {
      this.#d.log('warn', 'releasing a media transfer slot failed', error);
    }
  }

  #releaseUpload(owner: MediaPrincipal, uploadId: string): Promise<void> {
    return this.#giveSlot(owner, uploadId);
  }
}

function userKey(user: MediaPrincipal): string {
  return `${user.appId}:${user.uid}`;
}
