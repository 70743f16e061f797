import { Socket as EngineSocket } from 'engine.io-client';

/**
 * One engine.io connection that speaks socket.io by hand, as a hostile client would: it can send
 * CONNECT packets back to back, many times, without waiting for answers, which socket.io-client
 * never does. engine.io frames each as a message (`4`); inside it is socket.io's text encoding:
 * `0{auth}` CONNECT, `4{...}` CONNECT_ERROR, `2[...]` EVENT.
 */
export interface RawConnection {
  /** Every socket.io packet received, in order (without engine.io's message prefix). */
  readonly packets: string[];
  /** Send a CONNECT to the main namespace with this auth payload. */
  connect(auth: unknown): void;
  /** `data` of every CONNECT_ERROR received so far. */
  connectErrors(): Array<{ code: number; name: string; message: string }>;
  /** Names of the events received so far (`session:ready` ...). */
  events(): string[];
  /** Resolves when `check` holds, checked at every packet; rejects after `ms`. */
  until(check: () => boolean, ms?: number, what?: string): Promise<void>;
  /** Resolves with the reason once the server closed the connection. */
  readonly closed: Promise<string>;
  close(): void;
}

export function openRaw(url: string, headers: Record<string, string> = {}): Promise<RawConnection> {
  const engine = new EngineSocket(url, { path: '/socket.io/', transports: ['websocket'], extraHeaders: headers });
  const packets: string[] = [];
  const waiters = new Set<() => void>();
  engine.on('message', (data) => {
    packets.push(String(data));
    for (const w of [...waiters]) w();
  });
  const closed = new Promise<string>((resolve) => engine.on('close', (reason) => resolve(String(reason))));
  const connection: RawConnection = {
    packets,
    connect: (auth) => engine.send(`0${JSON.stringify(auth)}`),
    connectErrors: () => packets.filter((p) => p.startsWith('4')).map((p) => (JSON.parse(p.slice(1)) as { data: { code: number; name: string; message: string } }).data),
    events: () => packets.filter((p) => p.startsWith('2')).map((p) => (JSON.parse(p.slice(1)) as [string])[0]),
    until: (check, ms = 5_000, what = 'condition') =>
      new Promise<void>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(waiter);
        };
        const waiter = () => {
          if (!check()) return;
          done();
          resolve();
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${what}; last packets: ${packets.slice(-5).join(' | ')}`));
        }, ms);
        waiters.add(waiter);
        waiter();
      }),
    closed,
    close: () => engine.close(),
  };
  return new Promise((resolve, reject) => {
    engine.once('open', () => resolve(connection));
    engine.once('error', reject);
  });
}
