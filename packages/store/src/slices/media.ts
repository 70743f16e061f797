import type { RtmError } from '@rtm-kit/client';
import type { MediaImageParams, MediaTransferHandler, MediaUploadParams, RtmFileMessage, RtmImageMessage } from '../rtm-api.js';
import { toRtmError, type Slice, type SliceContext } from '../slice.js';

export type TransferStatus = 'active' | 'done' | 'failed' | 'canceled';

/** An upload or download of the 1.4.x media API (spec §2.2), as a plain object. */
export interface MediaTransfer {
  readonly id: string;
  readonly kind: 'upload' | 'download';
  /** The uploaded file's name, when given. */
  readonly fileName: string | null;
  /** The download's media id, or the upload's once done. */
  readonly mediaId: string | null;
  /** Bytes moved so far and in all (progress arrives about once per second). */
  readonly currentSize: number;
  readonly totalSize: number;
  readonly status: TransferStatus;
  readonly error: RtmError | null;
}

/** How the caller of an upload learns which transfer is its own. */
export interface MediaUploadOptions {
  /** Called with the transfer's id as soon as it is listed (before any byte moves). */
  onTransfer?: (transferId: string) => void;
}

export interface MediaSlice {
  /** Transfers in the order they started; ended ones stay until dismissed (newest kept). */
  readonly transfers: readonly MediaTransfer[];
  /**
   * Upload a file or image and get the message to send. Rejects with the client's error
   * (also kept on the transfer), or with a `…_INTERRUPTED`-style error when canceled.
   * `options.onTransfer` gets the new transfer's id at once, so a UI can follow its progress
   * and cancel it.
   */
  uploadMedia(payload: Blob, params?: MediaUploadParams, options?: MediaUploadOptions): Promise<RtmFileMessage | RtmImageMessage>;
  /** Download a file or image by media id. */
  downloadMedia(mediaId: string): Promise<Blob>;
  /** Cancel an active transfer. */
  cancelTransfer(id: string): void;
  /** Remove an ended transfer from the list. */
  dismissTransfer(id: string): void;
}

const IMAGE_FIELDS = ['width', 'height', 'thumbnailWidth', 'thumbnailHeight'] as const;

function isImage(params: MediaUploadParams | undefined): params is MediaImageParams {
  if (params === undefined || params.messageType === 'FILE') return false;
  return params.messageType === 'IMAGE' || IMAGE_FIELDS.some((key) => key in params);
}

/** The media slice: progress, result and cancellation of every transfer. */
export function createMediaSlice(ctx: SliceContext): Slice<MediaSlice> {
  const { client } = ctx;
  const controllers = new Map<string, AbortController>();
  const max = ctx.options.maxEndedItems;

  function patch(id: string, update: Partial<MediaTransfer>): void {
    ctx.set((s) => {
      const transfers = s.transfers.map((t) => (t.id === id ? { ...t, ...update } : t));
      const ended = transfers.filter((t) => t.status !== 'active').length;
      let drop = Math.max(0, ended - max);
      return { transfers: drop === 0 ? transfers : transfers.filter((t) => !(t.status !== 'active' && drop-- > 0)) };
    });
  }

  async function run<T>(kind: 'upload' | 'download', start: Partial<MediaTransfer>, call: (handler: {
    cancelSignal: AbortSignal;
    onOperationProgress: (e: { currentSize: number; totalSize: number }) => void;
  }) => Promise<T>, done: (result: T) => Partial<MediaTransfer>, onTransfer?: (id: string) => void): Promise<T> {
    const id = ctx.nextId(kind);
    const controller = new AbortController();
    controllers.set(id, controller);
    const transfer: MediaTransfer = {
      id,
      kind,
      fileName: null,
      mediaId: null,
      currentSize: 0,
      totalSize: 0,
      status: 'active',
      error: null,
      ...start,
    };
    ctx.set((s) => ({ transfers: [...s.transfers, transfer] }));
    onTransfer?.(id);
    try {
      const result = await call({
        cancelSignal: controller.signal,
        onOperationProgress: ({ currentSize, totalSize }) => patch(id, { currentSize, totalSize }),
      });
      patch(id, { status: 'done', ...done(result) });
      return result;
    } catch (error) {
      patch(id, { status: controller.signal.aborted ? 'canceled' : 'failed', error: toRtmError(error) });
      throw error;
    } finally {
      controllers.delete(id);
    }
  }

  /** Picks the overload: image parameters make an image message (spec §2.2). */
  function upload(payload: Blob, params: MediaUploadParams | undefined, handler: MediaTransferHandler): Promise<RtmFileMessage | RtmImageMessage> {
    return isImage(params)
      ? client.createMediaMessageByUploading(payload, params, handler)
      : client.createMediaMessageByUploading(payload, params, handler);
  }

  return {
    state: {
      transfers: [],
      uploadMedia: (payload, params, options) =>
        run(
          'upload',
          { fileName: params?.fileName ?? null, totalSize: payload.size },
          (handler) => upload(payload, params === undefined ? undefined : { ...params }, handler),
          (message) => ({ mediaId: message.mediaId, currentSize: payload.size }),
          options?.onTransfer,
        ),
      downloadMedia: (mediaId) =>
        run('download', { mediaId }, (handler) => client.downloadMedia(mediaId, handler), (blob) => ({
          currentSize: blob.size,
          totalSize: blob.size,
        })),
      cancelTransfer(id) {
        controllers.get(id)?.abort();
      },
      dismissTransfer(id) {
        ctx.set((s) => ({ transfers: s.transfers.filter((t) => t.id !== id || t.status === 'active') }));
      },
    },
    reset() {
      for (const controller of controllers.values()) controller.abort();
      return { transfers: [] };
    },
  };
}
