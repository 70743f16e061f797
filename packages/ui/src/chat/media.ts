'use client';

import type { RtmMessage } from '@rtm-kit/react';
import { DEFAULT_LIMITS, utf8ByteLength } from '@rtm-kit/protocol';
import { useEffect, useState } from 'react';

/** A file or image message of the 1.4.x media API. */
export type RtmMediaMessage = Extract<RtmMessage, { messageType: 'FILE' | 'IMAGE' }>;

/** Whether a message is a file or image message (1.4.x media, spec §2.2). */
export function isMediaMessage(message: RtmMessage): message is RtmMediaMessage {
  return !('text' in message) && !('rawMessage' in message) && (message.messageType === 'FILE' || message.messageType === 'IMAGE');
}

/** An object URL for a Blob while mounted (revoked on unmount); null on the server. */
export function useObjectUrl(blob: Blob | undefined): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (blob === undefined || typeof URL.createObjectURL !== 'function') return;
    const created = URL.createObjectURL(blob);
    setUrl(created);
    return () => {
      URL.revokeObjectURL(created);
      setUrl(null);
    };
  }, [blob]);
  return url;
}

/** Hands a downloaded Blob to the browser as a file download. */
export function saveBlob(blob: Blob, fileName: string): void {
  if (typeof document === 'undefined' || typeof URL.createObjectURL !== 'function') return;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download starts from the URL after the click returns; keep it alive a while.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export interface Thumbnail {
  readonly blob: Blob;
  readonly width: number;
  readonly height: number;
}

const THUMBNAIL_EDGE = 320;
const THUMBNAIL_QUALITIES = [0.8, 0.6, 0.4] as const;

/**
 * A thumbnail for an image message: the 1.x message carries it (with its size) so receivers see
 * the picture without downloading it. Thumbnail, file name and description share the 32 KB
 * metadata budget (spec §10.2). A small image is its own thumbnail; a larger one is scaled down
 * on a canvas where the browser has one. Null when neither works: the image is sent without.
 */
export async function makeThumbnail(image: Blob, fileName: string): Promise<Thumbnail | null> {
  const budget = DEFAULT_LIMITS.mediaMetadataMaxBytes - utf8ByteLength(fileName);
  const size = await imageSize(image);
  if (image.size <= budget) return { blob: image, width: size?.width ?? 0, height: size?.height ?? 0 };
  if (size === null || typeof OffscreenCanvas === 'undefined' || typeof createImageBitmap !== 'function') return null;
  try {
    const scale = Math.min(1, THUMBNAIL_EDGE / Math.max(size.width, size.height));
    const width = Math.max(1, Math.round(size.width * scale));
    const height = Math.max(1, Math.round(size.height * scale));
    const bitmap = await createImageBitmap(image, { resizeWidth: width, resizeHeight: height, resizeQuality: 'medium' });
    const canvas = new OffscreenCanvas(width, height);
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
    bitmap.close();
    for (const quality of THUMBNAIL_QUALITIES) {
      const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality });
      if (blob.size <= budget) return { blob, width, height };
    }
  } catch {
    // A format the browser cannot decode: no thumbnail.
  }
  return null;
}

/** Width and height from the image itself, where the browser can decode it. */
async function imageSize(image: Blob): Promise<{ width: number; height: number } | null> {
  if (typeof createImageBitmap !== 'function') return null;
  try {
    const bitmap = await createImageBitmap(image);
    const size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return size;
  } catch {
    return null;
  }
}
