/**
 * The content type of an uploaded file, from its first bytes (magic numbers), never from what the
 * uploader claims (server.md §4.7). The 1.4.2 SDK tagged downloaded Blobs with image/png,
 * image/gif, application/pdf, image/jpeg and application/zip (seed 000); we know those and a few
 * other common formats. Text formats (HTML, SVG, scripts) are deliberately not recognised: they
 * are served as application/octet-stream so a stored file can never become a page.
 *
 * A small table rather than the `file-type` package: its current major needs Node 22, and these
 * signatures are stable and short enough to test one by one.
 */

/** How many leading bytes `detectContentType` looks at. */
export const CONTENT_SNIFF_BYTES = 64;

export const OCTET_STREAM = 'application/octet-stream';

interface Signature {
  readonly type: string;
  readonly match: (b: Uint8Array) => boolean;
}

const SIGNATURES: readonly Signature[] = [
  { type: 'image/png', match: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { type: 'image/gif', match: (b) => ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a') },
  { type: 'image/jpeg', match: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  { type: 'application/pdf', match: (b) => ascii(b, 0, '%PDF-') },
  // Local file header, or the end-of-central-directory record of an empty archive.
  { type: 'application/zip', match: (b) => startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06]) },
  { type: 'image/webp', match: (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP') },
  { type: 'audio/wav', match: (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WAVE') },
  // "BM" alone is too weak; also require a known DIB header size at offset 14.
  { type: 'image/bmp', match: (b) => ascii(b, 0, 'BM') && b.length >= 18 && [12, 40, 52, 56, 64, 108, 124].includes(uint32le(b, 14)) },
  { type: 'image/tiff', match: (b) => startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a]) },
  { type: 'application/gzip', match: (b) => startsWith(b, [0x1f, 0x8b, 0x08]) },
  { type: 'application/x-7z-compressed', match: (b) => startsWith(b, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]) },
  { type: 'application/vnd.rar', match: (b) => ascii(b, 0, 'Rar!\x1a\x07') },
  { type: 'audio/mpeg', match: (b) => ascii(b, 0, 'ID3') || startsWith(b, [0xff, 0xfb]) || startsWith(b, [0xff, 0xf3]) },
  { type: 'audio/ogg', match: (b) => ascii(b, 0, 'OggS') },
  { type: 'audio/flac', match: (b) => ascii(b, 0, 'fLaC') },
  { type: 'video/webm', match: (b) => startsWith(b, [0x1a, 0x45, 0xdf, 0xa3]) },
];

/** ISO base media files (MP4, QuickTime, HEIC, AVIF) name their brand after "ftyp" at offset 4. */
const FTYP_BRANDS: Readonly<Record<string, string>> = {
  'qt  ': 'video/quicktime',
  heic: 'image/heic',
  heix: 'image/heic',
  mif1: 'image/heif',
  avif: 'image/avif',
  'M4A ': 'audio/mp4',
};

/**
 * The MIME type of content starting with `head` (pass at least `CONTENT_SNIFF_BYTES` bytes when
 * the file has them), or `application/octet-stream` when it is none we recognise.
 */
export function detectContentType(head: Uint8Array): string {
  for (const signature of SIGNATURES) if (signature.match(head)) return signature.type;
  if (ascii(head, 4, 'ftyp') && head.length >= 12) {
    const brand = String.fromCharCode(...head.subarray(8, 12));
    return FTYP_BRANDS[brand] ?? 'video/mp4';
  }
  return OCTET_STREAM;
}

function startsWith(b: Uint8Array, bytes: readonly number[]): boolean {
  return b.length >= bytes.length && bytes.every((v, i) => b[i] === v);
}

function ascii(b: Uint8Array, at: number, text: string): boolean {
  if (b.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (b[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

function uint32le(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) | ((b[at + 1] ?? 0) << 8) | ((b[at + 2] ?? 0) << 16) | ((b[at + 3] ?? 0) << 24)) >>> 0;
}
