import { describe, expect, it } from 'vitest';
import { detectContentType } from '@rtm-kit/server';

const bytes = (...parts: Array<string | number[]>) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));
const u32le = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];

describe('content type from magic bytes', () => {
  // The five types the 1.4.2 SDK tagged downloads with (seed 000), as real files begin.
  it.each([
    ['png', bytes([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13], 'IHDR', [0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]), 'image/png'],
    ['gif87a', bytes('GIF87a', [1, 0, 1, 0, 0x80, 0, 0]), 'image/gif'],
    ['gif89a', bytes('GIF89a', [1, 0, 1, 0, 0x80, 0, 0]), 'image/gif'],
    ['jpeg (JFIF)', bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16], 'JFIF\0', [1, 1, 0, 0, 1, 0, 1, 0, 0]), 'image/jpeg'],
    ['jpeg (EXIF)', bytes([0xff, 0xd8, 0xff, 0xe1, 0x12, 0x34], 'Exif\0\0MM'), 'image/jpeg'],
    ['pdf', bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj'), 'application/pdf'],
    ['zip', bytes('PK', [3, 4, 20, 0, 0, 0, 8, 0], 'mimetypeapplication/epub'), 'application/zip'],
    ['empty zip', bytes('PK', [5, 6], new Array(18).fill(0)), 'application/zip'],
  ])('detects %s', (_name, head, type) => {
    expect(detectContentType(head)).toBe(type);
  });

  it.each([
    ['webp', bytes('RIFF', u32le(1000), 'WEBPVP8 '), 'image/webp'],
    ['wav', bytes('RIFF', u32le(1000), 'WAVEfmt '), 'audio/wav'],
    ['bmp', bytes('BM', u32le(70), [0, 0, 0, 0], u32le(54), u32le(40), u32le(2), u32le(2)), 'image/bmp'],
    ['tiff', bytes('II*\0', u32le(8)), 'image/tiff'],
    ['gzip', bytes([0x1f, 0x8b, 0x08, 0]), 'application/gzip'],
    ['7z', bytes([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]), 'application/x-7z-compressed'],
    ['rar', bytes('Rar!\x1a\x07\x01\0'), 'application/vnd.rar'],
    ['mp3', bytes('ID3', [4, 0, 0, 0, 0, 0, 0]), 'audio/mpeg'],
    ['ogg', bytes('OggS', [0, 2]), 'audio/ogg'],
    ['flac', bytes('fLaC', [0, 0, 0, 34]), 'audio/flac'],
    ['webm', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f]), 'video/webm'],
    ['mp4', bytes([0, 0, 0, 0x20], 'ftypisom', [0, 0, 2, 0]), 'video/mp4'],
    ['quicktime', bytes([0, 0, 0, 0x14], 'ftypqt  '), 'video/quicktime'],
    ['heic', bytes([0, 0, 0, 0x18], 'ftypheic'), 'image/heic'],
  ])('also detects %s', (_name, head, type) => {
    expect(detectContentType(head)).toBe(type);
  });

  it.each([
    ['html', bytes('<!DOCTYPE html><html><script>')],
    ['svg', bytes('<svg xmlns="http://www.w3.org/2000/svg">')],
    ['plain text', bytes('hello world')],
    ['nothing', bytes()],
    ['a cut-off png signature', bytes([0x89], 'PNG')],
    ['"BM" without a bitmap header', bytes('BMW is a car brand and more text')],
    ['RIFF of something else', bytes('RIFF', u32le(4), 'AVI ')],
  ])('serves %s as application/octet-stream', (_name, head) => {
    expect(detectContentType(head)).toBe('application/octet-stream');
  });
});
