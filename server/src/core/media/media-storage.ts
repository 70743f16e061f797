/**
 * Where uploaded files live. The default keeps them in a directory on disk (`DiskMediaStorage`);
 * a fleet of servers needs one that every node shares. The media service holds the rules (who
 * may upload and download, sizes, expiry); a storage only keeps bytes and records, and every
 * method that changes state is one call so a shared implementation can make it atomic.
 *
 * Times are passed in, never read from a clock, as in the core's stores.
 */

/** A stored file. */
export interface StoredMedia {
  readonly mediaId: string;
  readonly appId: string;
  readonly uploaderUid: string;
  readonly size: number;
  /** Detected from the content when the upload completed. */
  readonly contentType: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** An upload in progress: `received` bytes of `size` are in. */
export interface PendingUpload {
  readonly uploadId: string;
  readonly appId: string;
  readonly uid: string;
  readonly size: number;
  readonly received: number;
  readonly startedAt: number;
  /** The last time a chunk arrived (or the start); abandoned uploads are swept from this. */
  readonly touchedAt: number;
}

/**
 * Caps on the bytes a user and an app hold: stored media plus the announced `size` of uploads in
 * progress (reserved at their start, so uploads running side by side cannot pass a cap together).
 */
export interface MediaQuota {
  readonly maxUserBytes: number;
  readonly maxAppBytes: number;
}

export type BeginUploadResult = { readonly ok: true } | { readonly ok: false; readonly over: 'user' | 'app' };

export interface MediaStorage {
  /** Prepare the storage (create directories, load what a previous run left). */
  init(): Promise<void>;
  /**
   * Record a new upload with nothing received yet, and reserve its `size` for its user and app.
   * Given a quota, the check and the reservation are one step: the upload is refused (nothing
   * recorded) when the user's or the app's bytes would pass their cap. The reservation becomes
   * the media's bytes on `completeUpload`, and comes back on `discardUpload` and `deleteMedia`.
   */
  beginUpload(upload: PendingUpload, quota?: MediaQuota): Promise<BeginUploadResult>;
  getUpload(uploadId: string): Promise<PendingUpload | null>;
  /**
   * Append `body` to the upload. It must start at `offset`, which must equal the bytes received
   * so far. Resolves with the upload once the whole body is written, `received` and `touchedAt`
   * (= `at`) moved on. When `body` throws (a cut connection, a cap exceeded), rejects with that
   * error and the upload's `received` stays where it was.
   */
  appendUpload(uploadId: string, offset: number, body: AsyncIterable<Uint8Array>, at: number): Promise<PendingUpload>;
  /** Up to `maxBytes` from the start of an upload's bytes. */
  readUploadHead(uploadId: string, maxBytes: number): Promise<Uint8Array>;
  /** Turn a fully received upload into stored media; the upload is gone afterwards. */
  completeUpload(uploadId: string, media: StoredMedia): Promise<void>;
  /** Forget an upload and delete its bytes; false when there was no such upload. */
  discardUpload(uploadId: string): Promise<boolean>;
  listUploads(): Promise<readonly PendingUpload[]>;
  getMedia(mediaId: string): Promise<StoredMedia | null>;
  /** The bytes of stored media as a stream, or null when it is gone. */
  readMedia(mediaId: string): Promise<AsyncIterable<Uint8Array> | null>;
  /** Delete stored media; false when there was none. A read already under way may finish. */
  deleteMedia(mediaId: string): Promise<boolean>;
  /** Stored media whose `expiresAt` is at or before `now`. */
  listExpiredMedia(now: number): Promise<readonly StoredMedia[]>;
  /** Release file handles and connections. */
  close(): Promise<void>;
}
