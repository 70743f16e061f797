/**
 * Media IDs and the session check of media requests, without Node built-ins so the core runs in a
 * browser too (Web Crypto's `getRandomValues` exists in both).
 */

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** 24 random bytes (192 bits) as 32 URL-safe characters: `MEDIA_ID_PATTERN`. */
export function newMediaId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(24));
  let id = '';
  // Every 3 bytes are 4 characters of 6 bits; 24 bytes need no padding.
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    id += BASE64URL[(n >> 18) & 63]! + BASE64URL[(n >> 12) & 63]! + BASE64URL[(n >> 6) & 63]! + BASE64URL[n & 63]!;
  }
  return id;
}

/**
 * Compares two secrets (session IDs) in time that depends only on their lengths, so a media
 * request cannot find a session ID character by character from response times.
 */
export function sameSecret(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
