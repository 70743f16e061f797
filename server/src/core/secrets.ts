/**
 * Unguessable identifiers and their comparison, without Node built-ins so the core runs in a
 * browser too (Web Crypto's `getRandomValues` exists in both). Every random ID of the server is
 * made here (session, request and node IDs; media IDs and resume secrets); session IDs and resume
 * secrets are compared here.
 */

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Random bytes are drawn from Web Crypto in blocks of this many and handed out in slices: each
 * draw is a call into the system's generator (OpenSSL checks the process ID on every one), which
 * costs more than the handful of bytes one ID needs.
 */
const POOL_BYTES = 1_536;
let pool = new Uint8Array(0);
let poolAt = 0;

/** `n` (at most `POOL_BYTES`) random bytes no other caller gets. */
function randomBytes(n: number): Uint8Array {
  if (poolAt + n > pool.length) {
    pool = globalThis.crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    poolAt = 0;
  }
  poolAt += n;
  return pool.subarray(poolAt - n, poolAt);
}

/** 24 random bytes (192 bits) as 32 URL-safe characters. */
export function randomToken(): string {
  const bytes = randomBytes(24);
  let token = '';
  // Every 3 bytes are 4 characters of 6 bits; 24 bytes need no padding.
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    token += BASE64URL[(n >> 18) & 63]! + BASE64URL[(n >> 12) & 63]! + BASE64URL[(n >> 6) & 63]! + BASE64URL[n & 63]!;
  }
  return token;
}

/**
 * A random UUID (v4). Every peer message gets one, so this is Web Crypto's `randomUUID` where it
 * exists (Node, and browsers on secure origins), which draws from a cache of random bytes; elsewhere
 * the same format from `randomBytes`.
 */
export function randomId(): string {
  if (typeof globalThis.crypto.randomUUID === 'function') return globalThis.crypto.randomUUID();
  return uuidFrom(randomBytes(16));
}

/** The v4 UUID of 16 random bytes (version and variant bits set). */
function uuidFrom(random: Uint8Array): string {
  let hex = '';
  for (let i = 0; i < 16; i++) {
    let byte = random[i] ?? 0;
    if (i === 6) byte = (byte & 0x0f) | 0x40;
    else if (i === 8) byte = (byte & 0x3f) | 0x80;
    hex += HEX[byte >> 4]! + HEX[byte & 15]!;
    if (i === 3 || i === 5 || i === 7 || i === 9) hex += '-';
  }
  return hex;
}

const HEX = '0123456789abcdef';

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
