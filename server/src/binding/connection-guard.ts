import type { IncomingMessage } from 'node:http';
import { errorCodeOf, type ConnectErrorData, type RateLimit } from '@rtm-kit/protocol';
import type { AbuseLimits, AbuseOptions } from './abuse-limits.js';
import { addressKey, peerAddress } from './client-address.js';
import { originAllowed, type AllowedOrigins } from './origin.js';
import type { Logger } from './requests.js';
import { KeyedTokenBuckets, TokenBucket } from './token-buckets.js';
import type { TypedSocket } from './types.js';

/** An engine.io connection: what a socket.io client keeps open, carrying its handshakes. */
export type EngineConnection = TypedSocket['conn'];

export interface ConnectionGuardOptions {
  readonly limits: AbuseLimits;
  /** `startServer({ cors: { origin } })`; see `originAllowed`. */
  readonly origins: AllowedOrigins;
  readonly clientAddress?: AbuseOptions['clientAddress'];
  readonly now: () => number;
  readonly log: Logger;
}

/** What the guard keeps per engine.io connection; it goes with the connection. */
export interface ConnectionRecord {
  /** The address key its per-address limits count against. */
  readonly address: string;
  readonly handshakes: TokenBucket;
  /**
   * A login is running on this connection, or its socket is logged in. socket.io runs the
   * handshake middleware for every CONNECT packet, also while an earlier one is still logging in,
   * so without this two pipelined logins would both succeed on one connection.
   */
  busy: boolean;
  /** Over a limit: the connection is being closed, further handshakes get the same answer. */
  closing: boolean;
}

/**
 * The abuse limits of the socket.io binding (`AbuseLimits`) and the Origin check, in one place:
 * `allowRequest` for new connections (engine.io calls it at the handshake of every transport),
 * `admitHandshake` for each login handshake, `admitUser` and `enterUser` for connections per user.
 */
export class ConnectionGuard {
  readonly #o: ConnectionGuardOptions;
  readonly #connections = new WeakMap<EngineConnection, ConnectionRecord>();
  /** Open connections per address; an address leaves the map with its last connection. */
  readonly #open = new Map<string, number>();
  readonly #connectionRate: KeyedTokenBuckets;
  readonly #handshakeRate: KeyedTokenBuckets;
  /** Logged-in connections per user; a user leaves the map at zero. */
  readonly #users = new Map<string, number>();
  /** When each limit was last reported in the log, so a flood writes a line a minute, not a line a packet. */
  readonly #reported = new Map<string, number>();

  constructor(options: ConnectionGuardOptions) {
    this.#o = options;
    this.#connectionRate = new KeyedTokenBuckets(options.limits.connectionsPerAddress);
    this.#handshakeRate = new KeyedTokenBuckets(options.limits.handshakesPerAddress);
  }

  /**
   * engine.io's `allowRequest`: may this request open a connection? Refused requests get a 403
   * (the browser hides why from the page; the reason goes to the server log, throttled).
   */
  allowRequest(request: IncomingMessage, callback: (error: string | null | undefined, success: boolean) => void): void {
    if (!originAllowed(request.headers.origin, request.headers.host, this.#o.origins)) {
      this.#report('origin', `refusing a connection from origin ${JSON.stringify(request.headers.origin)} (cors.origin)`);
      callback('Origin not allowed', false);
      return;
    }
    const address = this.#addressOf(request);
    const { limits } = this.#o;
    if ((this.#open.get(address) ?? 0) >= limits.maxConnectionsPerAddress) {
      this.#report('maxConnectionsPerAddress', `refusing connections from ${address}: ${limits.maxConnectionsPerAddress} open (abuse.maxConnectionsPerAddress)`);
      callback('Too many connections', false);
      return;
    }
    if (!this.#connectionRate.tryTake(address, this.#o.now())) {
      this.#report('connectionsPerAddress', `refusing connections from ${address}: ${rate(limits.connectionsPerAddress)} (abuse.connectionsPerAddress)`);
      callback('Too many connections', false);
      return;
    }
    callback(null, true);
  }

  /** A new engine.io connection: count it against its address until it closes. */
  track(conn: EngineConnection): void {
    const record = this.connection(conn);
    this.#open.set(record.address, (this.#open.get(record.address) ?? 0) + 1);
    conn.once('close', () => {
      const left = (this.#open.get(record.address) ?? 1) - 1;
      if (left > 0) this.#open.set(record.address, left);
      else this.#open.delete(record.address);
    });
  }

  /** The guard's record of a connection, made on first use. */
  connection(conn: EngineConnection): ConnectionRecord {
    let record = this.#connections.get(conn);
    if (!record) {
      record = {
        address: this.#addressOf(conn.request),
        handshakes: new TokenBucket(this.#o.limits.handshakesPerConnection, this.#o.now()),
        busy: false,
        closing: false,
      };
      this.#connections.set(conn, record);
    }
    return record;
  }

  /**
   * Count one login handshake against its connection and its address. Over either limit the
   * answer is LOGIN_ERR_TOO_OFTEN and the caller closes the connection (`record.closing`).
   */
  admitHandshake(record: ConnectionRecord): ConnectErrorData | null {
    const now = this.#o.now();
    let over: 'handshakesPerConnection' | 'handshakesPerAddress' | null = null;
    if (record.closing || !record.handshakes.tryTake(now)) over = 'handshakesPerConnection';
    else if (!this.#handshakeRate.tryTake(record.address, now)) over = 'handshakesPerAddress';
    if (over === null) return null;
    if (!record.closing) {
      this.#report(over, `closing a connection from ${record.address}: more than ${rate(this.#o.limits[over])} login handshakes (abuse.${over})`);
    }
    record.closing = true;
    return {
      code: errorCodeOf('LOGIN_ERR_TOO_OFTEN'),
      name: 'LOGIN_ERR_TOO_OFTEN',
      message: `Too many login attempts from ${over === 'handshakesPerConnection' ? 'this connection' : 'this address'}; the connection is closed.`,
    };
  }

  /**
   * May another connection log in as this user? Only logged-in connections count (`enterUser`),
   * so a client that cannot log in as the user (no valid token) cannot use up the user's places.
   */
  admitUser(appId: string, uid: string): boolean {
    const count = this.#users.get(userKey(appId, uid)) ?? 0;
    if (count < this.#o.limits.maxConnectionsPerUser) return true;
    this.#report('maxConnectionsPerUser', `refusing a login: ${count} connections already logged in as one user (abuse.maxConnectionsPerUser)`);
    return false;
  }

  /**
   * Count a logged-in connection of a user; `leaveUser` once when it disconnects. (No closure per
   * connection: the binding calls both from the socket's data.)
   */
  enterUser(appId: string, uid: string): void {
    const key = userKey(appId, uid);
    this.#users.set(key, (this.#users.get(key) ?? 0) + 1);
  }

  leaveUser(appId: string, uid: string): void {
    const key = userKey(appId, uid);
    const remaining = (this.#users.get(key) ?? 1) - 1;
    if (remaining > 0) this.#users.set(key, remaining);
    else this.#users.delete(key);
  }

  /** State the guard holds, for tests and monitoring: all zero when nobody is connected. */
  counts(): { readonly addresses: number; readonly users: number } {
    return { addresses: this.#open.size, users: this.#users.size };
  }

  #addressOf(request: IncomingMessage): string {
    return addressKey((this.#o.clientAddress ?? peerAddress)(request));
  }

  #report(limit: string, message: string): void {
    const now = this.#o.now();
    const last = this.#reported.get(limit);
    if (last !== undefined && now - last < REPORT_EVERY_MS) return;
    this.#reported.set(limit, now);
    this.#o.log.warn(`${message}; further refusals of this kind are not logged for a minute`);
  }
}

const REPORT_EVERY_MS = 60_000;

function userKey(appId: string, uid: string): string {
  // uids cannot contain a newline, so the key is unambiguous.
  return `${appId}\n${uid}`;
}

function rate(limit: RateLimit): string {
  return `${limit.count} per ${limit.windowMs / 1000} s`;
}
