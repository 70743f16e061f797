/** `startServer({ cors: { origin } })`: the browser origins allowed to connect. */
export type AllowedOrigins = string | string[] | boolean;

/**
 * Whether a connection that presents `origin` may open. CORS protects only HTTP long-polling; a
 * browser opens a WebSocket to any origin, so without this check any web page could log its
 * visitors in (cross-site WebSocket hijacking). Checked at the handshake of every new connection,
 * whichever transport it starts with.
 *
 * - No `Origin` header: allowed. Browsers send one on every WebSocket and every cross-origin
 *   request, so only non-browser clients (Node, native apps, tests) and same-origin polling lack
 *   it; those are not protected by origins in any case and authenticate with tokens.
 * - `true`: any origin (the default, for development).
 * - The server's own origin (the `Origin` host equals the `Host` header, e.g. a web app served with
 *   `staticDir`) is always allowed, as same-origin polling is.
 * - `false`: no other origin.
 * - A string or a list: exactly these origins, as browsers write them (`https://app.example.com`,
 *   no trailing slash), the same comparison CORS makes.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: AllowedOrigins): boolean {
  if (origin === undefined || allowed === true) return true;
  if (host !== undefined && hostOf(origin) === host.toLowerCase()) return true;
  if (allowed === false) return false;
  return (Array.isArray(allowed) ? allowed : [allowed]).includes(origin);
}

/** The `host[:port]` of an origin; null for "null" and anything else that is not a URL. */
function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}
