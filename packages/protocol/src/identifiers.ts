import { DEFAULT_LIMITS } from './limits.js';

/**
 * uid, peer ID and channel ID (§10.1): 1–64 characters from a–z A–Z 0–9, space and
 * `! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ ,`, and not the string "null".
 * A leading space is allowed, as in the Web SDK (seed 000, 0.9.1).
 *
 * Choice: the Web runtime's regex uses `\s`, which also lets tab and newline through; the typings
 * and docs list only the space. We accept only the space: a uid with a newline in it is a bug in
 * the calling app, and refusing it costs no documented behaviour.
 */
const ID_PATTERN = /^[ \w!#$%&()+,.:;<=>?@[\]^{|}~-]+$/;

export function isValidId(id: unknown, maxLength: number = DEFAULT_LIMITS.idMaxLength): id is string {
  return (
    typeof id === 'string' &&
    id.length >= 1 &&
    id.length <= maxLength &&
    id !== 'null' &&
    ID_PATTERN.test(id)
  );
}

export const isValidUserId = isValidId;
export const isValidChannelId = isValidId;

/** App IDs are 32 ASCII letters and digits (§10.1). */
export function isValidAppId(appId: unknown): appId is string {
  return typeof appId === 'string' && /^[\dA-Za-z]{32}$/.test(appId);
}

const encoder = new TextEncoder();

/** UTF-8 length in bytes, the unit of every size limit in the spec. */
export function utf8ByteLength(text: string): number {
  // Fast path: pure ASCII strings are one byte per character.
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  return ascii ? text.length : encoder.encode(text).byteLength;
}
