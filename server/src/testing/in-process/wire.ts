/**
 * What crossing a socket.io connection does to values, without a network: each side gets its own
 * copy, encoded as socket.io encodes it (JSON, with binary parts carried beside it). So `undefined`
 * becomes `null` in arrays and disappears from objects, a Date becomes its ISO string, and binary
 * arrives as the receiver's socket.io would hand it over: `Uint8Array` on the server, an
 * `ArrayBuffer` in a browser client. Nothing is ever shared by reference.
 */

/** How the receiving side gets binary data. */
export type BinaryForm = 'uint8array' | 'arraybuffer';

const PLACEHOLDER = '_placeholder';

/** A copy of `values` as the other end of a socket.io connection receives them. */
export function overTheWire(values: readonly unknown[], binary: BinaryForm): unknown[] {
  const parts: Uint8Array[] = [];
  // The replacer sees the value before `toJSON` through `this[key]` (Node's Buffer has a toJSON).
  const text = JSON.stringify(values, function (this: Record<string, unknown>, key: string, value: unknown) {
    const original = this[key];
    if (!isBinary(original)) return value;
    parts.push(bytesOf(original));
    return { [PLACEHOLDER]: true, num: parts.length - 1 };
  });
  return JSON.parse(text, (_key, value: unknown) => {
    if (!isPlaceholder(value)) return value;
    const bytes = parts[value.num] ?? new Uint8Array(0);
    return binary === 'arraybuffer' ? bytes.buffer : bytes;
  }) as unknown[];
}

function isBinary(value: unknown): value is ArrayBuffer | ArrayBufferView {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

/** A fresh copy of the bytes, on a buffer of their own. */
function bytesOf(value: ArrayBuffer | ArrayBufferView): Uint8Array<ArrayBuffer> {
  const view = value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return new Uint8Array(view);
}

function isPlaceholder(value: unknown): value is { num: number } {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v[PLACEHOLDER] === true && typeof v['num'] === 'number' && Object.keys(v).length === 2;
}

/**
 * Delivers packets in the order they were sent, each in a later task than the one that sent it,
 * as a network would: after `latencyMs`, or (0) as soon as the event loop is free. A delivery that
 * throws (a listener of the app) is reported as an uncaught error, like an exception thrown from a
 * WebSocket's message handler, and the packets after it still arrive.
 */
export class Wire {
  readonly #latencyMs: number;
  readonly #queue: Array<() => void> = [];
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #channel: MessageChannel | null = null;
  #posted = false;
  #closed = false;

  constructor(latencyMs: number) {
    this.#latencyMs = latencyMs;
  }

  send(deliver: () => void): void {
    if (this.#closed) return;
    if (this.#latencyMs > 0) {
      // Timers of equal delay fire in the order they were set.
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        run(deliver);
      }, this.#latencyMs);
      this.#timers.add(timer);
      return;
    }
    this.#queue.push(deliver);
    if (this.#posted) return;
    this.#posted = true;
    this.#port().postMessage(null);
  }

  /** Drops whatever is still in flight; nothing is delivered afterwards. */
  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#channel?.port1.close();
    this.#channel = null;
  }

  /**
   * A message port rather than `setTimeout(0)`: browsers clamp nested zero timeouts to 4 ms,
   * which would make a chat of a thousand messages take seconds.
   */
  #port(): MessagePort {
    if (this.#channel) return this.#channel.port2;
    const channel = new MessageChannel();
    channel.port1.onmessage = () => this.#flush();
    // Node: an idle port must not keep the process alive.
    (channel.port1 as MessagePort & { unref?: () => void }).unref?.();
    this.#channel = channel;
    return channel.port2;
  }

  #flush(): void {
    this.#posted = false;
    // Packets sent while delivering these go in the next task, after whatever else is waiting.
    const batch = this.#queue.splice(0);
    for (const deliver of batch) {
      if (this.#closed) return;
      run(deliver);
    }
  }
}

function run(deliver: () => void): void {
  try {
    deliver();
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}
