import { createHmac, timingSafeEqual } from 'node:crypto';

/** The one app every run logs in to; it has a certificate, so rtm-kit requires AccessToken2 tokens. */
export const APP_ID = 'b3c4a1d2e5f60718293a4b5c6d7e8f90';
export const APP_CERTIFICATE = '5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';

/**
 * The transport settings of rtm-kit's server (server/src/start-server.ts), which the bare
 * socket.io server copies so that both sides do the same transport work: pings every 2.5 s with
 * 3.5 s to answer, packets up to 256 KiB. Clients of both use the WebSocket transport only.
 */
export const SOCKET_IO_SERVER_OPTIONS = Object.freeze({
  serveClient: false,
  maxHttpBufferSize: 256 * 1024,
  pingInterval: 2_500,
  pingTimeout: 3_500,
  cors: { origin: true },
});

/** Where the server runs and where the driver runs, when the machine has two cores or more. */
export const SERVER_CPU = 0;
export const DRIVER_CPU = 1;

/** Every message, channel message and attribute value is padded to this many characters. */
export const PAYLOAD_CHARS = 100;

/**
 * Text of `PAYLOAD_CHARS` characters that starts with the time it was made (driver clock, ms), so
 * a receiver in the same driver process can tell how long it took to arrive.
 */
export function stampedPayload(now) {
  return `${now.toFixed(3)}|`.padEnd(PAYLOAD_CHARS, 'x');
}

/** The time `stampedPayload` put in `text`. */
export function stampOf(text) {
  return Number.parseFloat(text);
}

/**
 * A distinct loopback source address for client number `k` (127.1.0.1, 127.1.0.2, ...). All of
 * 127.0.0.0/8 is the loopback interface: giving every simulated user an address of its own keeps
 * the server's per-address connection limits out of the way, as they would be for real users.
 */
export function clientAddress(k) {
  return `127.1.${Math.floor(k / 250) % 256}.${(k % 250) + 1}`;
}

/**
 * The bare server's login token: `uid.expiresAtSeconds.signature`, the signature an HMAC-SHA256
 * of App ID, uid and expiry under the certificate. The least a server that checks who logs in
 * must do, as a baseline for rtm-kit's AccessToken2 check.
 */
export function signBareToken(uid, expiresAtSeconds) {
  const signature = createHmac('sha256', APP_CERTIFICATE).update(`${APP_ID}:${uid}:${expiresAtSeconds}`).digest('base64url');
  return `${uid}.${expiresAtSeconds}.${signature}`;
}

/** The uid a bare token was made for, or null when its signature, App ID or expiry is wrong. */
export function verifyBareToken(appId, uid, token, nowSeconds) {
  if (appId !== APP_ID || typeof uid !== 'string' || typeof token !== 'string') return null;
  const last = token.lastIndexOf('.');
  const middle = token.lastIndexOf('.', last - 1);
  if (middle < 0 || token.slice(0, middle) !== uid) return null;
  const expiresAt = Number(token.slice(middle + 1, last));
  if (!(expiresAt > nowSeconds)) return null;
  const expected = createHmac('sha256', APP_CERTIFICATE).update(`${APP_ID}:${uid}:${expiresAt}`).digest();
  const given = Buffer.from(token.slice(last + 1), 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected) ? uid : null;
}
