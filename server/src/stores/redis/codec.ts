/**
 * JSON for stored messages. Binary parts of a message (`raw`, `thumbnail`) are Uint8Arrays, which
 * JSON cannot hold; they are stored as `{ "$bytes": "<base64>" }` and come back as Uint8Arrays.
 */

export function encodeJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    // The holder's own value: a Buffer's toJSON has already run on `v`.
    const original = key === '' ? v : this[key];
    if (original instanceof Uint8Array) {
      return { $bytes: Buffer.from(original.buffer, original.byteOffset, original.byteLength).toString('base64') };
    }
    return v;
  });
}

export function decodeJson<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const bytes = (v as { $bytes?: unknown }).$bytes;
      if (typeof bytes === 'string' && Object.keys(v).length === 1) return new Uint8Array(Buffer.from(bytes, 'base64'));
    }
    return v;
  }) as T;
}
