/**
 * Random IDs the client makes, all from one source: Web Crypto's `getRandomValues`, which every
 * browser context and Node offer (`randomUUID` exists in browsers only on secure origins). No
 * ID library: this is all the client needs of one, and each kilobyte counts in its bundle.
 */
function randomBytes(): Uint8Array {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** A message id: 128 random bits in hex; a retry after a reconnect carries the same one. */
export function newMessageId(): string {
  return hex(randomBytes());
}

/** A random (version 4) uuid, as the Web runtime uses for call IDs. */
export function newCallId(): string {
  const b = randomBytes();
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = hex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
