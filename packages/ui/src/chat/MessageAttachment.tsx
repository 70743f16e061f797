'use client';

import { useRtmStore, useRtmStoreApi, type MediaTransfer } from '@rtm-kit/react';
import { useCallback, useState } from 'react';
import { useStrings } from '../strings.js';
import { saveBlob, useObjectUrl, type RtmMediaMessage } from './media.js';
import { CloseIcon, DownloadIcon, FileIcon, ImageIcon } from './icons.js';

/** Where a message's download stands (the attachment's `data-state`). */
export type AttachmentDownloadState = 'idle' | 'downloading' | 'done' | 'failed';

export interface MessageAttachmentProps {
  readonly message: RtmMediaMessage;
  /**
   * What to do with the downloaded file. Default: hand it to the browser as a download under
   * the message's file name.
   */
  readonly onDownloaded?: ((blob: Blob, message: RtmMediaMessage) => void) | undefined;
}

const DISPLAY_EDGE = 240;

function findActiveDownload(transfers: readonly MediaTransfer[], mediaId: string): MediaTransfer | null {
  for (let i = transfers.length - 1; i >= 0; i--) {
    const t = transfers[i] as MediaTransfer;
    if (t.kind === 'download' && t.mediaId === mediaId && t.status === 'active') return t;
  }
  return null;
}

/** The displayed size of an image: its thumbnail's proportions, at most 240 px a side. */
function displaySize(message: RtmMediaMessage): { width: number; height: number } | null {
  if (message.messageType !== 'IMAGE') return null;
  const w = message.thumbnailWidth > 0 ? message.thumbnailWidth : message.width;
  const h = message.thumbnailHeight > 0 ? message.thumbnailHeight : message.height;
  if (w <= 0 || h <= 0) return null;
  const scale = Math.min(1, DISPLAY_EDGE / Math.max(w, h));
  return { width: Math.round(w * scale), height: Math.round(h * scale) };
}

/**
 * A file or image message: the image's thumbnail from the message itself (1.x `thumbnail`,
 * `thumbnailWidth`, `thumbnailHeight`), its name and size, and a download with progress and cancel.
 */
export function MessageAttachment({ message, onDownloaded }: MessageAttachmentProps) {
  const strings = useStrings();
  const store = useRtmStoreApi();
  const name = message.fileName === '' ? strings.unnamedFile : message.fileName;
  const isImage = message.messageType === 'IMAGE';
  const thumbnailUrl = useObjectUrl(isImage ? message.thumbnail : undefined);
  const size = displaySize(message);
  const [phase, setPhase] = useState<AttachmentDownloadState>('idle');
  const [error, setError] = useState<string | null>(null);
  const transfer = useRtmStore((s) => (phase === 'downloading' ? findActiveDownload(s.transfers, message.mediaId) : null));

  const download = useCallback(async () => {
    setPhase('downloading');
    setError(null);
    try {
      const blob = await store.getState().downloadMedia(message.mediaId);
      if (onDownloaded !== undefined) onDownloaded(blob, message);
      else saveBlob(blob, name);
      setPhase('done');
    } catch (reason) {
      const canceled = store.getState().transfers.some((t) => t.kind === 'download' && t.mediaId === message.mediaId && t.status === 'canceled');
      setPhase(canceled ? 'idle' : 'failed');
      if (!canceled) setError(reason instanceof Error ? reason.message : String(reason));
    }
  }, [store, message, name, onDownloaded]);

  return (
    <div className="rtm-chat-attachment" data-kind={isImage ? 'image' : 'file'} data-state={phase}>
      {isImage && message.thumbnail !== undefined && (
        <div className="rtm-chat-attachment-preview" style={size === null ? undefined : { aspectRatio: `${size.width} / ${size.height}`, width: size.width }}>
          {thumbnailUrl !== null && (
            <img
              className="rtm-chat-attachment-thumbnail"
              src={thumbnailUrl}
              alt={strings.imageAlt(name)}
              {...(size === null ? {} : { width: size.width, height: size.height })}
            />
          )}
        </div>
      )}
      <div className="rtm-chat-attachment-info">
        <span className="rtm-chat-attachment-icon">{isImage ? <ImageIcon /> : <FileIcon />}</span>
        <span className="rtm-chat-attachment-name">{name}</span>
        <span className="rtm-chat-attachment-size">{strings.formatBytes(message.size)}</span>
        {phase === 'downloading' ? (
          <>
            <progress
              className="rtm-chat-progress"
              aria-label={strings.downloading(name)}
              max={transfer?.totalSize || message.size || 1}
              value={transfer?.currentSize ?? 0}
            />
            <button
              type="button"
              className="rtm-button rtm-chat-icon-button"
              onClick={() => {
                if (transfer !== null) store.getState().cancelTransfer(transfer.id);
              }}
            >
              <CloseIcon />
              <span className="rtm-visually-hidden">{strings.cancelDownload(name)}</span>
            </button>
          </>
        ) : (
          <button type="button" className="rtm-button rtm-chat-icon-button rtm-chat-download" onClick={() => void download()}>
            <DownloadIcon />
            <span className="rtm-visually-hidden">{strings.download(name)}</span>
          </button>
        )}
      </div>
      {phase === 'done' && (
        <p className="rtm-chat-attachment-status" role="status">
          {strings.downloaded(name)}
        </p>
      )}
      {phase === 'failed' && (
        <p className="rtm-chat-attachment-status" role="alert">
          {strings.downloadFailed(name, error ?? '')}
        </p>
      )}
    </div>
  );
}
