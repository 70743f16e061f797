import { Emitter } from './emitter.js';
import type { ClientEnd, ClientPacket, Link, ServerPacket } from './link.js';

type Ack = (...args: unknown[]) => void;

/**
 * What the client hands a transport (`TransportOptions` of `@rtm-kit/client`), loosely typed so
 * the server package needs no dependency on the client.
 */
export interface InProcessTransportOptions {
  readonly url?: string;
  /** Read for every handshake: the latest token and session. */
  readonly auth: () => unknown;
  readonly reconnectDelayMs: number;
  readonly reconnectDelayMaxMs: number;
}

/** The in-process server as a client socket sees it: a way to open connections and fetch media. */
export interface InProcessNetwork {
  /** A new connection for this socket, or why there is none (the user's network is down, the server closed). */
  open(socket: InProcessSocket, uid: string): Link | Error;
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** Runs `task` in a later task, in order with the packets. */
  later(task: () => void): void;
}

/**
 * The client side of one in-process connection, with the behaviour of socket.io-client's `Socket`
 * the rtm-kit client relies on (`TransportSocket`): `connect()` opens a connection and sends the
 * handshake with `auth()`; a refused handshake is a `connect_error` whose error carries `data`,
 * after which the socket is inactive; a lost connection is a 'disconnect' ("transport close")
 * followed by reconnection with socket.io's randomized exponential backoff; `disconnect()` and a
 * server's disconnect end it ("io client disconnect", "io server disconnect"). Emits made while
 * not connected wait and go out once connected; acknowledgements of a lost connection are dropped.
 */
export class InProcessSocket extends Emitter implements ClientEnd {
  connected = false;
  readonly #network: InProcessNetwork;
  readonly #options: InProcessTransportOptions;
  #active = false;
  #link: Link | null = null;
  #opening = false;
  #reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  #attempts = 0;
  readonly #sendBuffer: ClientPacket[] = [];
  readonly #acks = new Map<number, Ack>();
  #nextAck = 0;

  constructor(network: InProcessNetwork, options: InProcessTransportOptions) {
    super();
    this.#network = network;
    this.#options = options;
  }

  /** True while the socket keeps (re)connecting by itself. */
  get active(): boolean {
    return this.#active;
  }

  connect(): this {
    if (this.connected) return this;
    this.#active = true;
    if (this.#reconnectTimer !== null || this.#opening) return this;
    if (this.#link?.clientOpen) this.#handshake(this.#link);
    else this.#open();
    return this;
  }

  disconnect(): this {
    const wasConnected = this.connected;
    if (wasConnected) this.#link?.toServer({ type: 'disconnect' });
    this.#destroy();
    if (wasConnected) this.#onclose('io client disconnect');
    return this;
  }

  emit(event: string, ...args: unknown[]): this {
    const last = args.at(-1);
    let ackId: number | null = null;
    if (typeof last === 'function') {
      ackId = this.#nextAck++;
      this.#acks.set(ackId, last as Ack);
      args = args.slice(0, -1);
    }
    const packet: ClientPacket = { type: 'event', args: [event, ...args], ackId };
    if (this.connected && this.#link) this.#link.toServer(packet);
    else this.#sendBuffer.push(packet);
    return this;
  }

  /** Media requests of this client go to the in-process server, never to the network. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    return this.#network.fetch(input, init);
  }

  receive(link: Link, packet: ServerPacket): void {
    if (link !== this.#link) return;
    switch (packet.type) {
      case 'connect':
        this.connected = true;
        this.#attempts = 0;
        for (const buffered of this.#sendBuffer.splice(0)) link.toServer(buffered);
        this.dispatch('connect', []);
        return;
      case 'connect_error': {
        // The socket is inactive before the app hears of the refusal, as in socket.io-client.
        this.#destroy();
        const error = Object.assign(new Error(packet.message), { data: packet.data });
        this.dispatch('connect_error', [error]);
        return;
      }
      case 'event': {
        const args = [...packet.args];
        if (packet.ackId !== null) args.push(this.#acknowledgement(link, packet.ackId));
        const [event, ...rest] = args;
        if (typeof event === 'string') this.dispatch(event, rest);
        return;
      }
      case 'ack': {
        const ack = this.#acks.get(packet.id);
        this.#acks.delete(packet.id);
        ack?.(...packet.args);
        return;
      }
      case 'disconnect':
        this.#destroy();
        this.#onclose('io server disconnect');
        return;
      default: {
        const unreachable: never = packet;
        return unreachable;
      }
    }
  }

  closed(link: Link, reason: string): void {
    if (link !== this.#link) return;
    this.#link = null;
    this.#onclose(reason);
    if (this.#active) this.#reconnect();
  }

  #open(): void {
    this.#opening = true;
    // Opening a connection takes a round trip.
    this.#network.later(() => {
      this.#opening = false;
      if (!this.#active) return;
      const uid = (this.#options.auth() as { uid?: unknown } | null)?.uid;
      const link = this.#network.open(this, typeof uid === 'string' ? uid : '');
      if (link instanceof Error) {
        this.dispatch('connect_error', [link]);
        this.#reconnect();
        return;
      }
      this.#link = link;
      this.#handshake(link);
    });
  }

  #handshake(link: Link): void {
    link.toServer({ type: 'connect', auth: this.#options.auth() });
  }

  #reconnect(): void {
    if (!this.#active || this.#reconnectTimer !== null) return;
    const delay = backoff(this.#options.reconnectDelayMs, this.#options.reconnectDelayMaxMs, this.#attempts++);
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      if (this.#active) this.#open();
    }, delay);
  }

  /** socket.io-client's `destroy`: no more reconnecting, and the connection closes. */
  #destroy(): void {
    this.#active = false;
    if (this.#reconnectTimer !== null) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
    const link = this.#link;
    this.#link = null;
    link?.closeFromClient();
  }

  #onclose(reason: string): void {
    this.connected = false;
    // socket.io-client never calls back the acknowledgements of what the lost connection carried
    // (without a timeout); those of emits still waiting to go out stay.
    const waiting = new Set(this.#sendBuffer.map((p) => (p.type === 'event' ? p.ackId : null)));
    for (const id of [...this.#acks.keys()]) if (!waiting.has(id)) this.#acks.delete(id);
    this.dispatch('disconnect', [reason]);
  }

  #acknowledgement(link: Link, id: number): Ack {
    let sent = false;
    return (...args: unknown[]) => {
      if (sent) return;
      sent = true;
      link.toServer({ type: 'ack', id, args });
    };
  }
}

/** socket.io-client's reconnection delay: doubling from `min` up to `max`, randomized by ±50 %. */
function backoff(min: number, max: number, attempts: number): number {
  const base = min * 2 ** Math.min(attempts, 30);
  const rand = Math.random();
  const deviation = Math.floor(rand * 0.5 * base);
  const ms = (Math.floor(rand * 10) & 1) === 0 ? base - deviation : base + deviation;
  return Math.min(ms, max) | 0;
}
