import { utf8ByteLength, type MediaInfo } from '@rtm-kit/protocol';
import type { Connection } from './connection.js';
import { rtmError } from './errors.js';
import { DOWNLOAD_CODES, downloadMedia, UPLOAD_CODES, uploadMedia, type HttpSession } from './media-http.js';
import { readImageSize } from './media-image-size.js';
import { Transfer, type MediaTransferHandler, type TransferCodes } from './media-transfer.js';
import type { RtmFileMessage, RtmImageMessage } from './messages.js';

/** What `createMediaMessageByUploading` takes for a file (1.4.x). */
export interface MediaFileParams {
  fileName?: string;
  description?: string;
  thumbnail?: Blob;
  messageType?: 'FILE';
}

/** What `createMediaMessageByUploading` takes for an image (1.4.x). */
export interface MediaImageParams {
  width?: number;
  height?: number;
  fileName?: string;
  description?: string;
  thumbnail?: Blob;
  thumbnailWidth?: number;
  thumbnailHeight?: number;
  messageType?: 'IMAGE';
}

const IMAGE_NUMBERS = ['width', 'height', 'thumbnailWidth', 'thumbnailHeight'] as const;

/**
 * File and image messages of agora-rtm-sdk 1.3–1.4.x (spec §2.2, §5, §10.2): uploads that
 * resolve a message carrying a `mediaId`, downloads that resolve a typed Blob, at most
 * `mediaConcurrentTransfers` of them at a time, all stopped by a logout.
 */
export class MediaTransfers {
  readonly #connection: Connection;
  readonly #active = new Set<Transfer>();

  constructor(connection: Connection) {
    this.#connection = connection;
    connection.addHooks({
      closed: () => {
        for (const transfer of this.#active) transfer.stop('notLoggedIn');
      },
    });
  }

  /** `RtmClient.createMediaMessageByUploading`. */
  async upload(payload: unknown, params: unknown, handler: unknown): Promise<RtmFileMessage | RtmImageMessage> {
    const invalid = (why: string) => rtmError('UPLOAD_MEDIA_ERR_INVALID_ARGUMENT', why);
    if (!isBlob(payload)) throw invalid('The payload must be a Blob (or a File).');
    if (params !== undefined && (typeof params !== 'object' || params === null)) throw invalid('params must be an object.');
    const given = (params ?? {}) as Omit<MediaImageParams, 'messageType' | 'thumbnail'> & { messageType?: unknown; thumbnail?: Blob | null };
    // `thumbnail: null` is a common way of saying "none".
    const p = { ...given, thumbnail: given.thumbnail ?? undefined };
    if (p.fileName !== undefined && typeof p.fileName !== 'string') throw invalid('fileName must be a string.');
    if (p.description !== undefined && typeof p.description !== 'string') throw invalid('description must be a string.');
    if (p.thumbnail !== undefined && !isBlob(p.thumbnail)) throw invalid('thumbnail must be a Blob.');
    for (const key of IMAGE_NUMBERS) {
      const v = p[key];
      if (v !== undefined && !(Number.isSafeInteger(v) && v >= 0)) throw invalid(`${key} must be a whole number of pixels.`);
    }
    if (p.messageType !== undefined && p.messageType !== 'FILE' && p.messageType !== 'IMAGE') {
      throw invalid('messageType must be "FILE" or "IMAGE".');
    }
    checkHandler(handler, 'UPLOAD_MEDIA_ERR_INVALID_ARGUMENT');
    // Seeds 000/003: "a non-empty file or image up to 30 MB"; see `mediaMaxBytes` for 30 vs 32.
    if (payload.size === 0) throw invalid('The file is empty.');
    // The server's limits, learned at login (the defaults before it).
    const { limits } = this.#connection;
    if (payload.size > limits.mediaMaxBytes) {
      throw rtmError('UPLOAD_MEDIA_ERR_SIZE_OVERFLOW', `The file is larger than ${limits.mediaMaxBytes} bytes.`);
    }
    const fileName = p.fileName ?? '';
    const description = p.description ?? '';
    // T145 §5: thumbnail + fileName + description ≤ 32 KB. The group has no code for message
    // metadata; it is a size limit, so it gets the size code rather than the argument code.
    const metadataBytes = (p.thumbnail?.size ?? 0) + utf8ByteLength(fileName) + utf8ByteLength(description);
    if (metadataBytes > limits.mediaMetadataMaxBytes) {
      throw rtmError('UPLOAD_MEDIA_ERR_SIZE_OVERFLOW', `thumbnail, fileName and description together exceed ${limits.mediaMetadataMaxBytes} bytes.`);
    }
    // §2.2: without messageType, any image dimension makes it an image.
    const isImage = p.messageType === 'IMAGE' || (p.messageType === undefined && IMAGE_NUMBERS.some((k) => p[k] !== undefined));

    const media = await this.#run(UPLOAD_CODES, handler as MediaTransferHandler | undefined, (session, transfer) =>
      uploadMedia(session, payload, transfer),
    );
    const common = { fileName, description, thumbnail: p.thumbnail, size: media.size, mediaId: media.mediaId };
    if (!isImage) return { ...common, messageType: 'FILE' } satisfies RtmFileMessage;
    // §2.2: the runtime computes the size of JPEG, BMP and PNG images it was not told.
    const measured = p.width === undefined || p.height === undefined ? await imageSizeOf(payload, media) : null;
    return {
      ...common,
      messageType: 'IMAGE',
      width: p.width ?? measured?.width ?? 0,
      height: p.height ?? measured?.height ?? 0,
      thumbnailWidth: p.thumbnailWidth ?? 0,
      thumbnailHeight: p.thumbnailHeight ?? 0,
    } satisfies RtmImageMessage;
  }

  /** `RtmClient.downloadMedia`. */
  async download(mediaId: unknown, handler: unknown): Promise<Blob> {
    if (typeof mediaId !== 'string' || mediaId === '' || mediaId.length > 128) {
      throw rtmError('DOWNLOAD_MEDIA_ERR_INVALID_ARGUMENT', 'mediaId must be the non-empty ID of an uploaded file.');
    }
    checkHandler(handler, 'DOWNLOAD_MEDIA_ERR_INVALID_ARGUMENT');
    return this.#run(DOWNLOAD_CODES, handler as MediaTransferHandler | undefined, (session, transfer) =>
      downloadMedia(session, mediaId, transfer),
    );
  }

  /**
   * Runs one transfer in a concurrency slot. Everything up to taking the slot is synchronous, so
   * ten calls made at once cannot all see a free slot.
   */
  async #run<T>(
    codes: TransferCodes,
    handler: MediaTransferHandler | undefined,
    work: (session: () => HttpSession | null, transfer: Transfer) => Promise<T>,
  ): Promise<T> {
    if (this.#connection.httpSession === null) throw rtmError(codes.notLoggedIn, 'Log in before transferring media.');
    const max = this.#connection.limits.mediaConcurrentTransfers;
    if (this.#active.size >= max) {
      throw rtmError(codes.concurrency, `At most ${max} uploads and downloads may run at once.`);
    }
    const { mediaStallTimeoutMs, mediaProgressIntervalMs } = this.#connection.timing;
    const transfer = new Transfer(codes, handler, { stallMs: mediaStallTimeoutMs, progressMs: mediaProgressIntervalMs });
    this.#active.add(transfer);
    try {
      transfer.throwIfStopped();
      return await work(() => this.#connection.httpSession, transfer);
    } catch (error) {
      throw transfer.error(error);
    } finally {
      transfer.close();
      this.#active.delete(transfer);
    }
  }
}

/**
 * `RtmClient.createMessage`. The 1.5 runtime returns its argument; the 1.4 runtime (whose media
 * messages we implement) fills the defaults of an IMAGE or FILE message, so a message can be
 * rebuilt from a `mediaId` that is still valid and sent again (§2.2).
 */
export function createMessage<T>(message: T): T {
  if (typeof message !== 'object' || message === null) return message;
  const m = message as Partial<RtmImageMessage> & { messageType?: unknown };
  if (m.messageType !== 'IMAGE' && m.messageType !== 'FILE') return message;
  const file = {
    fileName: '',
    description: '',
    thumbnail: new Blob([]),
    size: 0,
    mediaId: '',
  };
  const defaults = m.messageType === 'IMAGE' ? { ...file, width: 0, height: 0, thumbnailWidth: 0, thumbnailHeight: 0 } : file;
  const given = Object.fromEntries(Object.entries(message).filter(([, v]) => v !== undefined));
  return { ...defaults, ...given } as T;
}

function isBlob(value: unknown): value is Blob {
  if (typeof Blob !== 'undefined' && value instanceof Blob) return true;
  // A Blob from another realm (an iframe) fails instanceof but has the same shape.
  const b = value as Blob | null;
  return typeof b === 'object' && b !== null && typeof b.size === 'number' && typeof b.slice === 'function' && typeof b.arrayBuffer === 'function';
}

function checkHandler(handler: unknown, code: 'UPLOAD_MEDIA_ERR_INVALID_ARGUMENT' | 'DOWNLOAD_MEDIA_ERR_INVALID_ARGUMENT'): void {
  if (handler === undefined) return;
  if (typeof handler !== 'object' || handler === null) throw rtmError(code, 'The transfer handler must be an object.');
  const h = handler as { cancelSignal?: unknown; onOperationProgress?: unknown };
  const signal = h.cancelSignal as AbortSignal | undefined;
  if (signal !== undefined && (typeof signal !== 'object' || signal === null || typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function')) {
    throw rtmError(code, 'cancelSignal must be an AbortSignal.');
  }
  if (h.onOperationProgress !== undefined && typeof h.onOperationProgress !== 'function') {
    throw rtmError(code, 'onOperationProgress must be a function.');
  }
}

async function imageSizeOf(image: Blob, media: MediaInfo): Promise<{ width: number; height: number } | null> {
  // Only what the server recognised as an image is worth reading.
  if (!media.contentType.startsWith('image/')) return null;
  try {
    return await readImageSize(image);
  } catch {
    return null;
  }
}
