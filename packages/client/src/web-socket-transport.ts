import type { Transport, TransportOptions, TransportSocket } from './transport.js';

/**
 * A socket.io client over the platform's WebSocket and nothing else: Engine.IO 4 over one
 * WebSocket (no polling, no upgrade) and the Socket.IO 5 packets the client uses (connect with
 * `auth`, events and acknowledgements both ways, binary attachments, disconnect). It behaves as
 * socket.io-client's socket does for everything the client relies on: `active` until
 * `disconnect()`, a refused handshake (`connect_error` with `data`, after which it stays idle) or
 * a server-side disconnect (`io server disconnect`); otherwise it reconnects by itself after a
 * dropped connection, with socket.io's randomized exponential delays. Browser bundles use it in
 * place of socket.io-client, which would bring its long-polling and WebTransport code along.
 */
export function webSocketTransport(extra: { readonly path?: unknown } = {}): Transport {
  const path = typeof extra.path === 'string' ? extra.path : '/socket.io';
  return (options) => new WebSocketSocket(options, path);
}

/** Socket.IO packet types (socket.io-parser `PacketType`). */
const CONNECT = 0;
const DISCONNECT = 1;
const EVENT = 2;
const ACK = 3;
const CONNECT_ERROR = 4;
const BINARY_EVENT = 5;
const BINARY_ACK = 6;

type Listener = (...args: never[]) => void;
type Binary = ArrayBuffer | ArrayBufferView;

interface Packet {
  type: number;
  id?: number;
  data?: unknown;
  attachments?: number;
}

class WebSocketSocket implements TransportSocket {
  connected = false;
  active = false;
  readonly #o: TransportOptions;
  readonly #url: string;
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #acks = new Map<number, (...args: unknown[]) => void>();
  #ws: WebSocket | null = null;
  #ackId = 0;
  #attempts = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #heartbeat: ReturnType<typeof setTimeout> | null = null;
  #heartbeatMs = 0;
  /** A binary packet waiting for its attachments. */
  #partial: { packet: Packet; buffers: ArrayBuffer[] } | null = null;

  constructor(options: TransportOptions, path: string) {
    this.#o = options;
    const url = new URL(options.url);
    url.protocol = url.protocol === 'https:' || url.protocol === 'wss:' ? 'wss:' : 'ws:';
    url.pathname = `${path.replace(/\/$/, '')}/`;
    url.search = `?EIO=4&transport=websocket${url.search.replace(/^\?/, '&')}`;
    this.#url = url.href;
  }

  on(event: string, listener: Listener): this {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return this;
  }

  off(event: string, listener?: Listener): this {
    if (listener) this.#listeners.get(event)?.delete(listener);
    else this.#listeners.delete(event);
    return this;
  }

  emit(event: string, ...args: unknown[]): this {
    const packet: Packet = { type: EVENT, data: [event, ...args] };
    const ack = args.at(-1);
    if (typeof ack === 'function') {
      const id = this.#ackId++;
      this.#acks.set(id, ack as (...a: unknown[]) => void);
      packet.id = id;
      (packet.data as unknown[]).pop();
    }
    // Like socket.io-client's volatile-free emit, but nothing is buffered: the client sends
    // only on a ready connection and resends what a drop cut off itself.
    if (this.connected) this.#send(packet);
    return this;
  }

  connect(): this {
    if (this.active && this.#ws) return this;
    this.active = true;
    this.#open();
    return this;
  }

  disconnect(): this {
    if (this.connected) this.#send({ type: DISCONNECT });
    this.active = false;
    this.#close('io client disconnect');
    return this;
  }

  #open(): void {
    this.#clearTimer();
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.#url);
    } catch {
      this.#lost('websocket error'); // a URL the platform refuses: retried like a failed open
      return;
    }
    ws.binaryType = 'arraybuffer';
    this.#ws = ws;
    ws.onmessage = (e: MessageEvent) => {
      if (this.#ws === ws) this.#onFrame(e.data as string | ArrayBuffer);
    };
    ws.onclose = () => {
      if (this.#ws === ws) this.#lost('transport close');
    };
    ws.onerror = () => {
      if (this.#ws !== ws) return;
      if (this.connected) this.#lost('transport error');
      else this.#lost('websocket error');
    };
  }

  #onFrame(frame: string | ArrayBuffer): void {
    this.#armHeartbeat();
    if (typeof frame !== 'string') {
      this.#attach(frame);
      return;
    }
    switch (frame[0]) {
      case '0': {
        const open = JSON.parse(frame.slice(1)) as { pingInterval: number; pingTimeout: number };
        this.#heartbeatMs = open.pingInterval + open.pingTimeout;
        this.#armHeartbeat();
        this.#send({ type: CONNECT, data: this.#o.auth() });
        return;
      }
      case '1':
        this.#lost('transport close');
        return;
      case '2':
        this.#ws?.send('3');
        return;
      case '4':
        this.#onPacket(decode(frame.slice(1)));
        return;
      default:
    }
  }

  #onPacket(packet: Packet): void {
    if (packet.attachments) {
      this.#partial = { packet, buffers: [] };
      return;
    }
    switch (packet.type) {
      case CONNECT:
        this.connected = true;
        this.#attempts = 0;
        this.#fire('connect');
        return;
      case CONNECT_ERROR: {
        const { message, data } = packet.data as { message: string; data?: unknown };
        const err = Object.assign(new Error(message), { data });
        // socket.io-client's socket gives up after a refused handshake; the app decides.
        this.active = false;
        this.#close(null);
        this.#fire('connect_error', err);
        return;
      }
      case EVENT:
      case BINARY_EVENT: {
        const args = [...(packet.data as unknown[])];
        const event = String(args.shift());
        if (packet.id !== undefined) args.push(this.#ackFor(packet.id));
        this.#fire(event, ...args);
        return;
      }
      case ACK:
      case BINARY_ACK: {
        const ack = packet.id === undefined ? undefined : this.#acks.get(packet.id);
        if (!ack || packet.id === undefined) return;
        this.#acks.delete(packet.id);
        ack(...(packet.data as unknown[]));
        return;
      }
      case DISCONNECT:
        this.active = false;
        this.#close('io server disconnect');
        return;
      default:
    }
  }

  /** A binary frame: the next attachment of the packet being assembled. */
  #attach(buffer: ArrayBuffer): void {
    const partial = this.#partial;
    if (!partial) return;
    partial.buffers.push(buffer);
    if (partial.buffers.length < (partial.packet.attachments ?? 0)) return;
    this.#partial = null;
    const { packet } = partial;
    this.#onPacket({ type: packet.type, id: packet.id, data: reconstruct(packet.data, partial.buffers) } as Packet);
  }

  #ackFor(id: number): (...args: unknown[]) => void {
    let sent = false;
    return (...args) => {
      if (sent) return;
      sent = true;
      this.#send({ type: ACK, id, data: args });
    };
  }

  #send(packet: Packet): void {
    const buffers: Binary[] = [];
    const data = hasBinary(packet.data) ? deconstruct(packet.data, buffers) : packet.data;
    let type = packet.type;
    if (buffers.length > 0) type = type === EVENT ? BINARY_EVENT : type === ACK ? BINARY_ACK : type;
    let out = `4${type}`;
    if (buffers.length > 0) out += `${buffers.length}-`;
    if (packet.id !== undefined) out += packet.id;
    if (data !== undefined) out += JSON.stringify(data);
    const ws = this.#ws;
    if (!ws || ws.readyState !== 1) return;
    ws.send(out);
    for (const buffer of buffers) ws.send(buffer);
  }

  /** The connection dropped by itself: report it, and try again unless given up. */
  #lost(reason: string): void {
    const wasConnected = this.connected;
    this.#close(wasConnected ? reason : null);
    if (!wasConnected) this.#fire('connect_error', new Error(reason));
    if (this.active) this.#retry();
  }

  /** socket.io-client's delays: doubling from the minimum, ±50 % at random, up to the maximum. */
  #retry(): void {
    const base = this.#o.reconnectDelayMs * 2 ** this.#attempts++;
    const jitter = base * 0.5 * (Math.random() * 2 - 1);
    const delay = Math.min(this.#o.reconnectDelayMaxMs, Math.max(0, Math.floor(base + jitter)));
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.active) this.#open();
    }, delay);
  }

  #close(reason: string | null): void {
    this.#clearTimer();
    if (this.#heartbeat !== null) clearTimeout(this.#heartbeat);
    this.#heartbeat = null;
    this.#partial = null;
    const ws = this.#ws;
    this.#ws = null;
    if (ws) {
      ws.onmessage = ws.onclose = ws.onerror = null;
      ws.close();
    }
    // An answer to what was sent on this connection can only come back on it.
    this.#acks.clear();
    const wasConnected = this.connected;
    this.connected = false;
    if (wasConnected && reason !== null) this.#fire('disconnect', reason);
  }

  #armHeartbeat(): void {
    if (this.#heartbeatMs === 0) return;
    if (this.#heartbeat !== null) clearTimeout(this.#heartbeat);
    this.#heartbeat = setTimeout(() => this.#lost('ping timeout'), this.#heartbeatMs);
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #fire(event: string, ...args: unknown[]): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) (listener as (...a: unknown[]) => void)(...args);
  }
}

/** Parses a Socket.IO packet: `<type>[<attachments>-][<namespace>,][<id>][<json>]`. */
function decode(text: string): Packet {
  const packet: Packet = { type: Number(text[0]) };
  let i = 1;
  if (packet.type === BINARY_EVENT || packet.type === BINARY_ACK) {
    const dash = text.indexOf('-', i);
    packet.attachments = Number(text.slice(i, dash));
    i = dash + 1;
  }
  if (text[i] === '/') {
    const comma = text.indexOf(',', i);
    i = comma === -1 ? text.length : comma + 1;
  }
  let id = '';
  while (i < text.length && text[i]! >= '0' && text[i]! <= '9') id += text[i++];
  if (id !== '') packet.id = Number(id);
  if (i < text.length) packet.data = JSON.parse(text.slice(i));
  return packet;
}

function isBinary(value: unknown): value is Binary {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

function hasBinary(value: unknown): boolean {
  if (isBinary(value)) return true;
  if (Array.isArray(value)) return value.some(hasBinary);
  if (typeof value !== 'object' || value === null) return false;
  return Object.keys(value).some((key) => hasBinary((value as Record<string, unknown>)[key]));
}

/** Replaces binary values with placeholders, collecting them in `buffers` (socket.io-parser's scheme). */
function deconstruct(value: unknown, buffers: Binary[]): unknown {
  if (isBinary(value)) {
    buffers.push(value);
    return { _placeholder: true, num: buffers.length - 1 };
  }
  if (Array.isArray(value)) return value.map((v) => deconstruct(v, buffers));
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = deconstruct((value as Record<string, unknown>)[key], buffers);
    return out;
  }
  return value;
}

/** Puts the received attachments back where their placeholders are. */
function reconstruct(value: unknown, buffers: readonly ArrayBuffer[]): unknown {
  if (Array.isArray(value)) return value.map((v) => reconstruct(v, buffers));
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    if (v['_placeholder'] === true && typeof v['num'] === 'number') return buffers[v['num']];
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) out[key] = reconstruct(v[key], buffers);
    return out;
  }
  return value;
}
