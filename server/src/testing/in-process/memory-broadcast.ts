import type { MemoryIoServer, MemoryServerSocket } from './memory-io.js';

/** One room or several, as socket.io's API takes them. */
export type Rooms = string | readonly string[];

export const toList = (rooms: Rooms): readonly string[] => (typeof rooms === 'string' ? [rooms] : rooms);

/** What `fetchSockets` returns: socket.io's `RemoteSocket` of a local socket (its `data` is the live object). */
export interface MemoryRemoteSocket {
  readonly id: string;
  readonly handshake: MemoryServerSocket['handshake'];
  readonly rooms: Set<string>;
  readonly data: Record<string, unknown>;
  emit(event: string, ...args: unknown[]): boolean;
  join(rooms: Rooms): void;
  leave(room: string): void;
  disconnect(close?: boolean): void;
}

/** socket.io's `BroadcastOperator`: an immutable selection of sockets to emit to or act on. */
export class MemoryBroadcast {
  readonly #io: MemoryIoServer;
  readonly #rooms: ReadonlySet<string>;
  readonly #except: ReadonlySet<string>;
  readonly #timeoutMs: number | null;

  constructor(io: MemoryIoServer, rooms: ReadonlySet<string>, except: ReadonlySet<string>, timeoutMs: number | null) {
    this.#io = io;
    this.#rooms = rooms;
    this.#except = except;
    this.#timeoutMs = timeoutMs;
  }

  to(rooms: Rooms): MemoryBroadcast {
    return new MemoryBroadcast(this.#io, new Set([...this.#rooms, ...toList(rooms)]), this.#except, this.#timeoutMs);
  }

  in(rooms: Rooms): MemoryBroadcast {
    return this.to(rooms);
  }

  except(rooms: Rooms): MemoryBroadcast {
    return new MemoryBroadcast(this.#io, this.#rooms, new Set([...this.#except, ...toList(rooms)]), this.#timeoutMs);
  }

  timeout(ms: number): MemoryBroadcast {
    return new MemoryBroadcast(this.#io, this.#rooms, this.#except, ms);
  }

  /**
   * Emit to every selected socket. With a function last, each socket's acknowledgement is
   * collected: `(null, responses)` once all answered, `(error, responses)` at the timeout; with
   * no socket selected, `(null, [])` at once.
   */
  emit(event: string, ...args: unknown[]): boolean {
    const targets = this.#io.select(this.#rooms, this.#except);
    const last = args.at(-1);
    if (typeof last !== 'function') {
      for (const socket of targets) socket.send([event, ...args], null);
      return true;
    }
    const callback = last as (error: Error | null, responses: unknown[]) => void;
    const values = args.slice(0, -1);
    const responses: unknown[] = [];
    let done = false;
    const finish = (error: Error | null) => {
      if (done) return;
      done = true;
      if (timer !== null) clearTimeout(timer);
      callback(error, responses);
    };
    const timer = targets.length === 0 ? null : setTimeout(() => finish(new Error('operation has timed out')), this.#timeoutMs ?? 0);
    if (targets.length === 0) {
      finish(null);
      return true;
    }
    for (const socket of targets) {
      socket.send([event, ...values], (...response: unknown[]) => {
        responses.push(response[0]);
        if (responses.length === targets.length) finish(null);
      });
    }
    return true;
  }

  async fetchSockets(): Promise<MemoryRemoteSocket[]> {
    return this.#io.select(this.#rooms, this.#except).map((socket) => ({
      id: socket.id,
      handshake: socket.handshake,
      rooms: new Set(socket.rooms),
      data: socket.data,
      emit: (event: string, ...args: unknown[]) => socket.emit(event, ...args),
      join: (rooms: Rooms) => socket.join(rooms),
      leave: (room: string) => socket.leave(room),
      disconnect: (close?: boolean) => void socket.disconnect(close),
    }));
  }

  socketsJoin(rooms: Rooms): void {
    for (const socket of this.#io.select(this.#rooms, this.#except)) socket.join(rooms);
  }

  socketsLeave(rooms: Rooms): void {
    for (const socket of this.#io.select(this.#rooms, this.#except)) for (const room of toList(rooms)) socket.leave(room);
  }

  disconnectSockets(close = false): void {
    for (const socket of this.#io.select(this.#rooms, this.#except)) socket.disconnect(close);
  }
}
