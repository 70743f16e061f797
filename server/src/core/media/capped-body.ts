/**
 * Passes a request body through while counting it, and fails with `overflow()` the moment it runs
 * past `maxBytes`: a lying Content-Length or a chunked body that never ends is cut off while it
 * streams, and nothing past the cap is ever written.
 */
export async function* capBytes(
  source: AsyncIterable<Uint8Array>,
  maxBytes: number,
  overflow: () => Error,
): AsyncGenerator<Uint8Array, void, undefined> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.byteLength;
    if (total > maxBytes) throw overflow();
    yield chunk;
  }
}
