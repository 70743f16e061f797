/**
 * Width and height of an image from its header, which the 1.4 runtime fills in for JPG/JPEG, BMP
 * and PNG when an image message is uploaded without them (spec §2.2). GIF is read too: its
 * header is as simple. Anything else (or a damaged header) gives null.
 */

/** JPEG keeps its frame header after any metadata segments (EXIF is at most 64 KiB). */
const JPEG_SCAN_BYTES = 256 * 1024;
const HEADER_BYTES = 32;

export interface ImageSize {
  readonly width: number;
  readonly height: number;
}

export async function readImageSize(image: Blob): Promise<ImageSize | null> {
  const head = new Uint8Array(await image.slice(0, HEADER_BYTES).arrayBuffer());
  if (isPng(head)) return sized(readUint32be(head, 16), readUint32be(head, 20));
  if (isGif(head)) return sized(readUint16le(head, 6), readUint16le(head, 8));
  if (isBmp(head)) return sized(Math.abs(readInt32le(head, 18)), Math.abs(readInt32le(head, 22)));
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) {
    return jpegSize(new Uint8Array(await image.slice(0, JPEG_SCAN_BYTES).arrayBuffer()));
  }
  return null;
}

/** Walks the JPEG segments to the first start-of-frame marker, which holds the size. */
export function jpegSize(b: Uint8Array): ImageSize | null {
  let at = 2;
  for (let guard = 0; guard < 1_000 && at + 9 < b.length; guard++) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    // Markers without a length: TEM and RST0–RST7.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const length = readUint16be(b, at + 2);
    // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC) which share the range.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return sized(readUint16be(b, at + 7), readUint16be(b, at + 5));
    }
    if (length < 2) return null;
    at += 2 + length;
  }
  return null;
}

function isPng(b: Uint8Array): boolean {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  return b.length >= 24 && signature.every((v, i) => b[i] === v);
}

function isGif(b: Uint8Array): boolean {
  return b.length >= 10 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38;
}

function isBmp(b: Uint8Array): boolean {
  return b.length >= 26 && b[0] === 0x42 && b[1] === 0x4d && readUint32le(b, 14) >= 40;
}

function sized(width: number, height: number): ImageSize | null {
  return width > 0 && height > 0 ? { width, height } : null;
}

function readUint16be(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
}

function readUint16le(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
}

function readUint32be(b: Uint8Array, at: number): number {
  return (((b[at] ?? 0) << 24) | ((b[at + 1] ?? 0) << 16) | ((b[at + 2] ?? 0) << 8) | (b[at + 3] ?? 0)) >>> 0;
}

function readUint32le(b: Uint8Array, at: number): number {
  return readInt32le(b, at) >>> 0;
}

function readInt32le(b: Uint8Array, at: number): number {
  return (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16) | ((b[at + 3] ?? 0) << 24);
}
