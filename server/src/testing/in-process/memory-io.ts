import { Emitter, Events } from './emitter.js';
import type { ClientPacket, Link, ServerEnd } from './link.js';
import { MemoryBroadcast, toList, type Rooms } from './memory-broadcast.js';

type Ack = (...args: unknown[]) => void;
type Middleware = (socket: MemoryServerSocket, next: (error?: Error & { data?: unknown }) => void) => void;

/** Event names socket.io's parser refuses in a packet from a client (they are the sockets' own events). */
const RESERVED_EVENTS: ReadonlySet<string> = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);

/**
 * socket.io's `Server`, in memory: the part of its API the rtm-kit binding (`bindSocketIo`,
 * `SocketIoRouter`) uses, with socket.io's behaviour. Handshake middleware (`use`) runs for
 * every CONNECT, a failure becomes the client's `connect_error` with the error's `data`, a socket
 * joins a room named by its id, `to`/`in`/`except`/`timeout` chains broadcast (with acks),
 * `fetchSockets` hands back sockets whose `data` is the live object, and closing a connection
 * disconnects its sockets with socket.io's reasons.
 */
export class MemoryIoServer implements ServerEnd {
  /** engine.io's server: 'connection' for every new connection. */
  readonly engine = new Events();
  readonly #middleware: Middleware[] = [];
  readonly #connection = new Events();
  /** Connected sockets by id, and by the connection they are on. */
  readonly #sockets = new Map<string, MemoryServerSocket>();
  readonly #byLink = new Map<Link, MemoryServerSocket>();
  readonly #rooms = new Map<string, Set<MemoryServerSocket>>();
  readonly #links = new Set<Link>();
  #socketCount = 0;
  #closed = false;

  use(fn: Middleware): this {
    this.#middleware.push(fn);
    return this;
  }

  on(event: 'connection', listener: (socket: MemoryServerSocket) => void): this {
    this.#connection.on(event, listener);
    return this;
  }

  to(rooms: Rooms): MemoryBroadcast {
    return new MemoryBroadcast(this, new Set(toList(rooms)), new Set(), null);
  }

  in(rooms: Rooms): MemoryBroadcast {
    return this.to(rooms);
  }

  except(rooms: Rooms): MemoryBroadcast {
    return new MemoryBroadcast(this, new Set(), new Set(toList(rooms)), null);
  }

  /** Disconnects every socket and closes every connection. */
  close(callback?: () => void): void {
    this.#closed = true;
    for (const socket of [...this.#sockets.values()]) socket.disconnect(true);
    for (const link of [...this.#links]) link.close();
    callback?.();
  }

  /** A new engine.io connection, after `allowRequest` said yes. */
  accept(link: Link): boolean {
    if (this.#closed) return false;
    this.#links.add(link);
    link.attach(this);
    link.once('close', () => this.#links.delete(link));
    this.engine.fire('connection', link);
    return true;
  }

  receive(link: Link, packet: ClientPacket): void {
    if (packet.type === 'connect') {
      this.#handshake(link, packet.auth);
      return;
    }
    const socket = this.#byLink.get(link);
    if (!socket) return;
    if (packet.type === 'disconnect') socket.closeWith('client namespace disconnect');
    else socket.receive(packet);
  }

  closed(link: Link, reason: string): void {
    this.#byLink.get(link)?.closeWith(reason);
  }

  /** Sockets in any of `rooms` (every socket when empty) and in none of `except`. */
  select(rooms: ReadonlySet<string>, except: ReadonlySet<string>): MemoryServerSocket[] {
    const found = new Set<MemoryServerSocket>();
    if (rooms.size === 0) for (const s of this.#sockets.values()) found.add(s);
    for (const room of rooms) for (const s of this.#rooms.get(room) ?? []) found.add(s);
    for (const room of except) for (const s of this.#rooms.get(room) ?? []) found.delete(s);
    return [...found];
  }

  addToRoom(socket: MemoryServerSocket, room: string): void {
    let members = this.#rooms.get(room);
    if (!members) this.#rooms.set(room, (members = new Set()));
    members.add(socket);
  }

  removeFromRoom(socket: MemoryServerSocket, room: string): void {
    const members = this.#rooms.get(room);
    if (!members) return;
    members.delete(socket);
    if (members.size === 0) this.#rooms.delete(room);
  }

  /** Rooms with members, for tests: socket.io keeps no empty room either. */
  roomCount(): number {
    return this.#rooms.size;
  }

  /** Connected sockets, for tests. */
  socketCount(): number {
    return this.#sockets.size;
  }

  forget(socket: MemoryServerSocket): void {
    this.#sockets.delete(socket.id);
    if (this.#byLink.get(socket.conn) === socket) this.#byLink.delete(socket.conn);
  }

  #handshake(link: Link, auth: unknown): void {
    const socket = new MemoryServerSocket(this, link, `in-process-socket-${++this.#socketCount}`, auth);
    const middleware = [...this.#middleware];
    const run = (i: number): void => {
      const fn = middleware[i];
      if (!fn) {
        // socket.io ignores a handshake whose connection closed while the middleware ran.
        if (link.readyState !== 'open') return;
        this.#sockets.set(socket.id, socket);
        this.#byLink.set(link, socket);
        socket.open();
        this.#connection.fire('connection', socket);
        return;
      }
      let called = false;
      fn(socket, (error) => {
        if (called) return;
        called = true;
        if (error) {
          const data = error.data;
          link.toClient({ type: 'connect_error', message: error.message, data: data === undefined ? undefined : data });
          return;
        }
        run(i + 1);
      });
    };
    run(0);
  }
}

/** A socket.io server socket: one client's logged-in connection. */
export class MemoryServerSocket extends Emitter {
  readonly id: string;
  readonly conn: Link;
  readonly handshake: {
    readonly auth: unknown;
    readonly headers: Readonly<Record<string, string>>;
    readonly time: string;
    readonly issued: number;
    readonly address: string;
    readonly xdomain: false;
    readonly secure: false;
    readonly url: string;
    readonly query: Readonly<Record<string, string>>;
  };
  data: Record<string, unknown> = {};
  connected = false;
  readonly rooms = new Set<string>();
  readonly #io: MemoryIoServer;
  readonly #any: Ack[] = [];
  readonly #acks = new Map<number, Ack>();
  #nextAck = 0;

  constructor(io: MemoryIoServer, link: Link, id: string, auth: unknown) {
    super();
    this.#io = io;
    this.id = id;
    this.conn = link;
    const now = Date.now();
    this.handshake = {
      auth: typeof auth === 'object' && auth !== null ? auth : {},
      headers: link.request.headers,
      time: new Date(now).toString(),
      issued: now,
      address: link.request.socket.remoteAddress,
      xdomain: false,
      secure: false,
      url: link.request.url,
      query: {},
    };
  }

  get disconnected(): boolean {
    return !this.connected;
  }

  /** After the middleware: join the own room and tell the client (before 'connection' runs). */
  open(): void {
    this.connected = true;
    this.join(this.id);
    this.conn.toClient({ type: 'connect', sid: this.id });
  }

  /** Listen to every event the client sends, before the event's own listeners. */
  onAny(listener: Ack): this {
    this.#any.push(listener);
    return this;
  }

  /** Send an event to the client; a function as the last argument waits for its acknowledgement. */
  emit(event: string, ...args: unknown[]): boolean {
    if (!this.connected) return false;
    this.send([event, ...args], null);
    return true;
  }

  /** The send of an event, directly or as part of a broadcast. */
  send(eventAndArgs: readonly unknown[], ack: Ack | null): void {
    const last = eventAndArgs.at(-1);
    let values = eventAndArgs;
    let ackId: number | null = null;
    if (ack === null && typeof last === 'function') {
      values = eventAndArgs.slice(0, -1);
      ack = last as Ack;
    }
    if (ack !== null) {
      ackId = this.#nextAck++;
      this.#acks.set(ackId, ack);
    }
    this.conn.toClient({ type: 'event', args: [...values], ackId });
  }

  join(rooms: Rooms): void {
    for (const room of toList(rooms)) {
      this.rooms.add(room);
      this.#io.addToRoom(this, room);
    }
  }

  leave(room: string): void {
    this.rooms.delete(room);
    this.#io.removeFromRoom(this, room);
  }

  /** Disconnect the client; `close` also closes its connection. */
  disconnect(close = false): this {
    if (!this.connected) return this;
    this.conn.toClient({ type: 'disconnect' });
    this.closeWith('server namespace disconnect');
    if (close) this.conn.close();
    return this;
  }

  receive(packet: Exclude<ClientPacket, { type: 'connect' | 'disconnect' }>): void {
    if (!this.connected) return;
    if (packet.type === 'ack') {
      const ack = this.#acks.get(packet.id);
      this.#acks.delete(packet.id);
      ack?.(...packet.args);
      return;
    }
    const args = [...packet.args];
    if (packet.ackId !== null) args.push(this.#acknowledgement(packet.ackId));
    const [event, ...rest] = args;
    if (typeof event !== 'string') return;
    if (RESERVED_EVENTS.has(event)) {
      // socket.io cannot decode such a packet and closes the connection ("parse error").
      this.closeWith('parse error');
      this.conn.close();
      return;
    }
    for (const listener of [...this.#any]) listener(event, ...rest);
    this.dispatch(event, rest);
  }

  closeWith(reason: string): void {
    if (!this.connected) return;
    this.dispatch('disconnecting', [reason]);
    for (const room of [...this.rooms]) this.leave(room);
    this.connected = false;
    this.#acks.clear();
    this.#io.forget(this);
    this.dispatch('disconnect', [reason]);
  }

  #acknowledgement(id: number): Ack {
    let sent = false;
    return (...args: unknown[]) => {
      if (sent) return;
      sent = true;
      this.conn.toClient({ type: 'ack', id, args });
    };
  }
}
