'use client';

import type { MediaTransfer, MediaUploadOptions, MediaUploadParams, RtmFileMessage, RtmImageMessage } from '@rtm-kit/store';
import { useMemo } from 'react';
import { useStore } from 'zustand';
import { useRtmContext } from './context.js';

export interface UseMediaTransfersResult {
  /** Uploads and downloads with progress and status. */
  readonly transfers: readonly MediaTransfer[];
  /**
   * Upload a file or image and get the message to send (1.4.x media, spec §2.2).
   * `options.onTransfer` receives the id of this upload's entry in `transfers` at once.
   */
  upload(payload: Blob, params?: MediaUploadParams, options?: MediaUploadOptions): Promise<RtmFileMessage | RtmImageMessage>;
  /** Download by media id. */
  download(mediaId: string): Promise<Blob>;
  /** Cancel an active transfer (its promise rejects, its status becomes `canceled`). */
  cancel(id: string): void;
  /** Remove an ended transfer from the list. */
  dismiss(id: string): void;
}

/**
 * File and image transfers with progress.
 *
 * @example
 * const { transfers, upload } = useMediaTransfers();
 * const { sendMessage } = usePeerMessages(peerId);
 * const onFile = async (file: File) => sendMessage(await upload(file, { fileName: file.name }));
 * return transfers.map((t) => <progress key={t.id} value={t.currentSize} max={t.totalSize} />);
 */
export function useMediaTransfers(): UseMediaTransfersResult {
  const { store } = useRtmContext('useMediaTransfers');
  const transfers = useStore(store, (s) => s.transfers);
  const actions = useMemo(() => {
    const state = () => store.getState();
    return {
      upload: (payload: Blob, params?: MediaUploadParams, options?: MediaUploadOptions) => state().uploadMedia(payload, params, options),
      download: (mediaId: string) => state().downloadMedia(mediaId),
      cancel: (id: string) => state().cancelTransfer(id),
      dismiss: (id: string) => state().dismissTransfer(id),
    };
  }, [store]);
  return { transfers, ...actions };
}
