/**
 * The path of a request target, or null when the target is not a path this server can route.
 *
 * Total by design: a client controls `req.url` byte for byte (`//[`, `http://[`, `//a:99999/x`,
 * `//%zz`), and nothing it sends may throw out of an HTTP handler. Only origin-form targets
 * (`/path?query`) are routed; absolute-form and authority-form targets, which a server that is no
 * proxy never needs, get null and so a 400.
 */
export function requestPath(url: string | undefined): string | null {
  if (url === undefined || !url.startsWith('/') || url.startsWith('//')) return null;
  const end = url.search(/[?#]/);
  const path = end === -1 ? url : url.slice(0, end);
  return path.length > 0 && path.length <= MAX_PATH_LENGTH ? path : null;
}

/**
 * `requestPath` with its dot segments collapsed, then percent-decoded; null when it cannot be
 * decoded or holds a NUL. Encoded slashes survive decoding (`..%2f`): callers that map the path
 * onto a directory must still check where it lands.
 */
export function decodedRequestPath(url: string | undefined): string | null {
  const path = requestPath(url);
  if (path === null) return null;
  try {
    // A single leading slash makes this a path-only parse: no host or port to reject.
    const decoded = decodeURIComponent(new URL(path, 'http://localhost').pathname);
    return decoded.includes('\0') ? null : decoded;
  } catch {
    return null;
  }
}

/** Longer request paths are refused; no route of the server comes near it. */
const MAX_PATH_LENGTH = 4_096;
