import { Emitter } from './emitter.js';
import { overTheWire, type Wire } from './wire.js';

/** What travels from a client socket to the server. */
export type ClientPacket =
  | { readonly type: 'connect'; readonly auth: unknown }
  | { readonly type: 'event'; readonly args: unknown[]; readonly ackId: number | null }
  | { readonly type: 'ack'; readonly id: number; readonly args: unknown[] }
  | { readonly type: 'disconnect' };

/** What travels from the server to a client socket. */
export type ServerPacket =
  | { readonly type: 'connect'; readonly sid: string }
  | { readonly type: 'connect_error'; readonly message: string; readonly data: unknown }
  | { readonly type: 'event'; readonly args: unknown[]; readonly ackId: number | null }
  | { readonly type: 'ack'; readonly id: number; readonly args: unknown[] }
  | { readonly type: 'disconnect' };

/** The client's end of a link: a socket that gets packets and learns when the link closed. */
export interface ClientEnd {
  receive(link: Link, packet: ServerPacket): void;
  closed(link: Link, reason: string): void;
}

/** The server's end of a link. */
export interface ServerEnd {
  receive(link: Link, packet: ClientPacket): void;
  closed(link: Link, reason: string): void;
}

/** The request an engine.io connection was opened with, as the binding reads it (`IncomingMessage`). */
export interface LinkRequest {
  readonly url: string;
  readonly method: 'GET';
  readonly headers: Readonly<Record<string, string>>;
  readonly socket: { readonly remoteAddress: string };
}

let linkCount = 0;

/**
 * One engine.io connection between a client socket and the in-process server, seen from the
 * server as socket.io's `socket.conn` (`readyState`, `request`, `close()`, a 'close' event).
 * Packets cross it through the wire, copied as socket.io encodes them; each direction keeps its
 * order, and a side that closed gets nothing more, as over TCP.
 */
export class Link extends Emitter {
  readonly id = `in-process-link-${++linkCount}`;
  readonly request: LinkRequest;
  /** The server side's view, as engine.io reports it. */
  readyState: 'open' | 'closed' = 'open';
  /** Whether the client still reads from the link. */
  #clientOpen = true;
  readonly #wire: Wire;
  readonly #client: ClientEnd;
  #server: ServerEnd | null = null;

  constructor(wire: Wire, client: ClientEnd, address: string) {
    super();
    this.#wire = wire;
    this.#client = client;
    this.request = { url: '/socket.io/?EIO=4&transport=websocket', method: 'GET', headers: { host: 'in-process' }, socket: { remoteAddress: address } };
  }

  /** The server accepted the connection (engine.io's 'connection'). */
  attach(server: ServerEnd): void {
    this.#server = server;
  }

  get clientOpen(): boolean {
    return this.#clientOpen;
  }

  /** Binary arrives as a `Uint8Array`, as socket.io hands it to a server (Node's Buffer is one). */
  toServer(packet: ClientPacket): void {
    if (!this.#clientOpen) return;
    const copy = copyPacket(packet, 'uint8array');
    this.#wire.send(() => {
      if (this.readyState === 'open') this.#server?.receive(this, copy);
    });
  }

  /** Binary arrives as an `ArrayBuffer`, as socket.io-client hands it over in a browser. */
  toClient(packet: ServerPacket): void {
    if (this.readyState !== 'open') return;
    const copy = copyPacket(packet, 'arraybuffer');
    this.#wire.send(() => {
      if (this.#clientOpen) this.#client.receive(this, copy);
    });
  }

  /** engine.io's `conn.close()`: the server closes; the client hears of it after what was sent. */
  close(): void {
    if (this.readyState !== 'open') return;
    this.#closeServerSide('forced close');
    this.#wire.send(() => this.#closeClientSide('transport close'));
  }

  /** The client closes; the server hears of it after what the client sent. */
  closeFromClient(): void {
    if (!this.#clientOpen) return;
    this.#clientOpen = false;
    this.#wire.send(() => this.#closeServerSide('transport close'));
  }

  /** The network fails: neither side gets anything more, and each finds out on its own. */
  cut(): void {
    const server = this.readyState === 'open';
    const client = this.#clientOpen;
    this.#clientOpen = false;
    if (server) this.readyState = 'closed';
    if (server) this.#wire.send(() => this.#notifyServerClosed('transport close'));
    if (client) this.#wire.send(() => this.#client.closed(this, 'transport close'));
  }

  #closeServerSide(reason: string): void {
    if (this.readyState !== 'open') return;
    this.readyState = 'closed';
    this.#notifyServerClosed(reason);
  }

  #notifyServerClosed(reason: string): void {
    this.#server?.closed(this, reason);
    this.dispatch('close', [reason]);
  }

  #closeClientSide(reason: string): void {
    if (!this.#clientOpen) return;
    this.#clientOpen = false;
    this.#client.closed(this, reason);
  }
}

function copyPacket<P extends ClientPacket | ServerPacket>(packet: P, binary: 'uint8array' | 'arraybuffer'): P {
  switch (packet.type) {
    case 'event':
    case 'ack':
      return { ...packet, args: overTheWire(packet.args, binary) };
    case 'connect':
      return 'auth' in packet ? { ...packet, auth: overTheWire([packet.auth], binary)[0] } : packet;
    case 'connect_error':
      return { ...packet, data: overTheWire([packet.data], binary)[0] };
    case 'disconnect':
      return packet;
    default: {
      const unreachable: never = packet;
      return unreachable;
    }
  }
}
