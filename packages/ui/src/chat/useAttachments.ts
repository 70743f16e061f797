'use client';

import { useRtmStoreApi, type MessageInput } from '@rtm-kit/react';
import { DEFAULT_LIMITS } from '@rtm-kit/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { makeThumbnail } from './media.js';

/**
 * An attachment on its way: `uploading` (with its transfer in the store for progress and
 * cancel), or stopped with the reason: `too-large` and `empty` are refused before any request,
 * `failed` is an upload the server or the network refused.
 */
export interface PendingAttachment {
  readonly id: string;
  readonly fileName: string;
  readonly size: number;
  readonly state: 'uploading' | 'too-large' | 'empty' | 'failed';
  /** The store's transfer (see `useMediaTransfers`), once the upload started. */
  readonly transferId: string | null;
  /** Why a failed upload failed. */
  readonly error: string | null;
}

export interface UseAttachmentsOptions {
  /** Sends the uploaded file or image message. */
  send(message: MessageInput): unknown;
  /** Largest file in bytes. Default: the protocol's `mediaMaxBytes` (30 MB, spec §10.2). */
  readonly maxBytes?: number;
}

export interface UseAttachmentsResult {
  readonly attachments: readonly PendingAttachment[];
  readonly maxBytes: number;
  /** Upload and send files (from a file picker, a drop or a paste). */
  add(files: Iterable<File | Blob>): void;
  /** Cancel an upload under way. */
  cancel(id: string): void;
  /** Remove a refused or failed attachment from the list. */
  dismiss(id: string): void;
}

let nextId = 0;

function fileNameOf(file: File | Blob): string {
  return 'name' in file && typeof file.name === 'string' ? file.name : '';
}

/**
 * File and image attachments: checks the 30 MB cap before anything is uploaded, uploads through
 * the store (1.4.x `createMediaMessageByUploading`, with a thumbnail for images), and sends the
 * resulting message once the upload is done. Canceled uploads disappear; refused and failed
 * ones stay, with the reason, until dismissed.
 *
 * @example
 * const send = useChatSend({ channelId: 'lobby' });
 * const { attachments, add, cancel } = useAttachments({ send });
 * <input type="file" onChange={(e) => add(e.target.files ?? [])} />
 */
export function useAttachments({ send, maxBytes = DEFAULT_LIMITS.mediaMaxBytes }: UseAttachmentsOptions): UseAttachmentsResult {
  const store = useRtmStoreApi();
  const [attachments, setAttachments] = useState<readonly PendingAttachment[]>([]);
  const mounted = useRef(true);
  const sendRef = useRef(send);
  sendRef.current = send;
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const update = useCallback((id: string, patch: Partial<PendingAttachment> | null) => {
    if (!mounted.current) return;
    setAttachments((list) => (patch === null ? list.filter((a) => a.id !== id) : list.map((a) => (a.id === id ? { ...a, ...patch } : a))));
  }, []);

  const upload = useCallback(
    async (id: string, file: File | Blob, fileName: string) => {
      const params: {
        fileName: string;
        messageType?: 'IMAGE';
        thumbnail?: Blob;
        thumbnailWidth?: number;
        thumbnailHeight?: number;
      } = { fileName };
      if (file.type.startsWith('image/')) {
        params.messageType = 'IMAGE';
        const thumbnail = await makeThumbnail(file, fileName);
        if (thumbnail !== null) {
          params.thumbnail = thumbnail.blob;
          if (thumbnail.width > 0 && thumbnail.height > 0) {
            params.thumbnailWidth = thumbnail.width;
            params.thumbnailHeight = thumbnail.height;
          }
        }
      }
      let transferId: string | null = null;
      try {
        const message = await store.getState().uploadMedia(file, params, {
          onTransfer: (tid) => {
            transferId = tid;
            update(id, { transferId: tid });
          },
        });
        update(id, null);
        sendRef.current(message);
      } catch (error) {
        const transfer = store.getState().transfers.find((t) => t.id === transferId);
        if (transfer?.status === 'canceled') update(id, null);
        else update(id, { state: 'failed', error: error instanceof Error ? error.message : String(error) });
      }
    },
    [store, update],
  );

  const add = useCallback(
    (files: Iterable<File | Blob>) => {
      const added: PendingAttachment[] = [];
      const uploads: Array<() => void> = [];
      for (const file of files) {
        const fileName = fileNameOf(file);
        const id = `attachment-${++nextId}`;
        const state = file.size === 0 ? 'empty' : file.size > maxBytes ? 'too-large' : 'uploading';
        added.push({ id, fileName, size: file.size, state, transferId: null, error: null });
        // Files over the cap are refused here: no request is made for them.
        if (state === 'uploading') uploads.push(() => void upload(id, file, fileName));
      }
      if (added.length === 0) return;
      // Listed first: an upload reports its transfer id synchronously, as an update of its entry.
      setAttachments((list) => [...list, ...added]);
      for (const start of uploads) start();
    },
    [maxBytes, upload],
  );

  const cancel = useCallback(
    (id: string) => {
      const transferId = attachments.find((a) => a.id === id)?.transferId;
      if (transferId !== null && transferId !== undefined) store.getState().cancelTransfer(transferId);
    },
    [attachments, store],
  );
  const dismiss = useCallback((id: string) => update(id, null), [update]);
  return { attachments, maxBytes, add, cancel, dismiss };
}
