/**
 * The beginnings of real files of each type the 1.4.2 SDK recognised (seed 000), padded with
 * bytes that differ at every offset, so a test can check both the detected type and every byte.
 */

function filled(size: number, head: readonly number[]): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (i * 131 + (i >>> 8) * 7 + (i >>> 16)) & 0xff;
  b.set(head.slice(0, size));
  return b;
}

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const be16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const be32 = (n: number) => [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
const le16 = (n: number) => [n & 0xff, (n >> 8) & 0xff];
const le32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];

export function png(width: number, height: number, size = 4096): Uint8Array<ArrayBuffer> {
  return filled(size, [0x89, ...ascii('PNG\r\n\x1a\n'), ...be32(13), ...ascii('IHDR'), ...be32(width), ...be32(height), 8, 6, 0, 0, 0]);
}

export function gif(width: number, height: number, size = 4096): Uint8Array<ArrayBuffer> {
  return filled(size, [...ascii('GIF89a'), ...le16(width), ...le16(height), 0x80, 0, 0]);
}

/** A baseline JPEG: JFIF header, an EXIF segment, a quantisation table, then the frame header. */
export function jpeg(width: number, height: number, size = 8192): Uint8Array<ArrayBuffer> {
  const app0 = [0xff, 0xe0, ...be16(16), ...ascii('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const exif = [0xff, 0xe1, ...be16(2 + 600), ...ascii('Exif\0\0'), ...new Array(594).fill(0x2a)];
  const dqt = [0xff, 0xdb, ...be16(67), 0, ...new Array(64).fill(1)];
  const sof0 = [0xff, 0xc0, ...be16(17), 8, ...be16(height), ...be16(width), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  return filled(size, [0xff, 0xd8, ...app0, ...exif, ...dqt, ...sof0]);
}

export function bmp(width: number, height: number, size = 4096): Uint8Array<ArrayBuffer> {
  return filled(size, [...ascii('BM'), ...le32(size), 0, 0, 0, 0, ...le32(54), ...le32(40), ...le32(width), ...le32(-height), ...le16(1), ...le16(24)]);
}

export function pdf(size = 4096): Uint8Array<ArrayBuffer> {
  return filled(size, ascii('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n'));
}

export function zip(size = 4096): Uint8Array<ArrayBuffer> {
  return filled(size, [...ascii('PK'), 3, 4, 20, 0, 0, 0, 8, 0, ...ascii('hello.txt')]);
}

/** Bytes of no known type. */
export function plain(size: number): Uint8Array<ArrayBuffer> {
  return filled(size, ascii('just some bytes'));
}

export async function bytesOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;
}
