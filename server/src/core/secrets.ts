/**
 * Unguessable identifiers and their comparison, without Node built-ins so the core runs in a
 * browser too (Web Crypto's `getRandomValues` exists in both). Every random ID of the server is
 * made here (session, request and node IDs; media IDs and resume secrets); session IDs and resume
 * secrets are compared here.
 */

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** 24 random bytes (192 bits) as 32 URL-safe characters. */
export function randomToken(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(24));
  let token = '';
  // Every 3 bytes are 4 characters of 6 bits; 24 bytes need no padding.
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    token += BASE64URL[(n >> 18) & 63]! + BASE64URL[(n >> 12) & 63]! + BASE64URL[(n >> 6) & 63]! + BASE64URL[n & 63]!;
  }
  return token;
}

/** A random UUID (v4); `crypto.randomUUID` exists in browsers only on secure origins. */
export function randomId(): string {
  const b = globalThis.crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Whether `given` is `secret`, in time that depends only on the lengths, so a request cannot find
 * a secret character by character from response times.
 */
export function sameSecret(given: string | null | undefined, secret: string): boolean {
  if (typeof given !== 'string' || given.length !== secret.length) return false;
  let diff = 0;
  for (let i = 0; i < secret.length; i++) diff |= given.charCodeAt(i) ^ secret.charCodeAt(i);
  return diff === 0;
}
