import type { RequestErrorCodes } from './request-errors.js';

/**
 * Requests of the media domain (`media:*`). None: file and image bytes travel over HTTP beside
 * the socket (server.md §4.7: a socket.io binary packet would need a large `maxHttpBufferSize` on
 * every connection), so the media contract is `MEDIA_HTTP` below.
 */
export interface MediaClientEvents {}

/** Events the server sends in the media domain. */
export interface MediaServerEvents {}

export const MEDIA_REQUEST_ERRORS: { readonly [E in keyof MediaClientEvents]: RequestErrorCodes } = {};

/**
 * The HTTP contract of media transfers (1.4.x `createMediaMessageByUploading` / `downloadMedia`,
 * spec §2.2), served on the same port as socket.io.
 *
 * Every request authenticates as the caller's live session with three headers (the session ID
 * is an unguessable secret the server checks against its session store). JSON answers use the
 * acknowledgement envelope of the socket requests: `{ ok: true, data }` or
 * `{ ok: false, error: { code, name, message } }` with a code of the UploadMedia or DownloadMedia
 * group (§8).
 *
 * - `POST {uploads}` with `{size}` header: start an upload → `MediaUploadStarted`.
 * - `PUT {uploads}/<uploadId>` with `{offset}` header and up to `chunkMaxBytes` of the file as
 *   the body → `MediaUploadProgress`; the answer to the last chunk carries the stored media.
 * - `DELETE {uploads}/<uploadId>`: cancel an upload; its bytes are deleted.
 * - `GET {media}/<mediaId>`: the bytes, with the content type the server detected from them.
 */
export const MEDIA_HTTP = {
  mediaPath: '/media',
  uploadsPath: '/media/uploads',
  headers: {
    appId: 'x-rtm-app-id',
    /** The uid, `encodeURIComponent`-encoded (a uid may contain characters a header may not). */
    uid: 'x-rtm-uid',
    session: 'x-rtm-session',
    /** The whole file's size in bytes, when starting an upload. */
    size: 'x-rtm-media-size',
    /** Where in the file a chunk starts; must equal the bytes received so far. */
    offset: 'x-rtm-upload-offset',
  },
} as const;

/** Media and upload IDs: 32 URL-safe characters from 24 random bytes. */
export const MEDIA_ID_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/** The answer to starting an upload. */
export interface MediaUploadStarted {
  readonly uploadId: string;
  /** The most bytes one chunk may carry. */
  readonly chunkMaxBytes: number;
}

/** A file the server keeps (for `mediaTtlMs`, 7 days by default). */
export interface MediaInfo {
  readonly mediaId: string;
  readonly size: number;
  /** Detected from the content (magic bytes), never taken from the uploader. */
  readonly contentType: string;
  /** When the media ID stops working (ms since the epoch). */
  readonly expiresAt: number;
}

/** The answer to each chunk. */
export interface MediaUploadProgress {
  /** Bytes received so far. */
  readonly received: number;
  /** Set on the answer to the last chunk. */
  readonly media: MediaInfo | null;
}
