import type { IncomingMessage } from 'node:http';
import type { RateLimit } from '@rtm-kit/protocol';

/**
 * Limits against hostile clients, enforced by the socket.io binding before any login work. They
 * are not in the spec (1.x has a cloud in front of its servers) and clients never see them, so
 * they live here rather than in the protocol's `Limits`. `startServer({ abuse })` overrides any
 * of them; `Infinity` turns a count off.
 *
 * Rates are token buckets: a burst of up to `count`, refilled at `count` per `windowMs`. They are
 * kept per process: a fleet of N nodes lets an address make up to N times as many.
 */
export interface AbuseLimits {
  /**
   * Login handshakes (socket.io CONNECT packets) on one connection. The rtm-kit client makes one
   * per connection; a client that keeps sending them is refused with LOGIN_ERR_TOO_OFTEN (10) and
   * its connection closed.
   */
  handshakesPerConnection: RateLimit;
  /** Login handshakes from one address, over all its connections; then as above. */
  handshakesPerAddress: RateLimit;
  /**
   * New connections from one address. Refused at the HTTP upgrade or polling handshake with
   * 403, before socket.io creates anything; clients retry with their backoff.
   */
  connectionsPerAddress: RateLimit;
  /** Connections open at once from one address; more are refused like `connectionsPerAddress`. */
  maxConnectionsPerAddress: number;
  /**
   * Connections logged in as one user (App ID + uid) at once; a login handshake for a user who has
   * this many is refused with LOGIN_ERR_TOO_OFTEN (10). Only logged-in connections count, so
   * clients that cannot log in as the user cannot use up its places. A login still replaces the
   * user's older session (remote login, §9.7) and the replaced connection is closed, so the 1.x
   * behaviour needs 2; the default leaves room for a resume racing a half-open older connection.
   */
  maxConnectionsPerUser: number;
}

/**
 * Generous for people (a login takes one handshake on one connection; an office behind one NAT
 * address can reconnect 100 clients at once after a restart), tight for scripts: one connection
 * gets 5 handshakes, where one hostile connection used to make about 15,000 a second.
 */
export const DEFAULT_ABUSE_LIMITS: Readonly<AbuseLimits> = Object.freeze({
  handshakesPerConnection: { count: 5, windowMs: 10_000 },
  handshakesPerAddress: { count: 100, windowMs: 10_000 },
  connectionsPerAddress: { count: 100, windowMs: 10_000 },
  maxConnectionsPerAddress: 1_000,
  maxConnectionsPerUser: 4,
});

/** `startServer({ abuse })`: any limit, and where a client's address comes from. */
export interface AbuseOptions extends Partial<AbuseLimits> {
  /**
   * The address per-address limits count against. Default: the TCP peer's address. Behind a
   * reverse proxy every client has the proxy's address, so return the client's own address as the
   * proxy reports it, e.g. the last entry of `x-forwarded-for` your proxy appends. Never trust a
   * header a client can set directly. IPv6 addresses count per /64 network, IPv4-mapped IPv6 as
   * IPv4.
   *
   * @example
   * abuse: { clientAddress: (req) => String(req.headers['x-forwarded-for'] ?? '').split(',').at(-1)?.trim() }
   */
  clientAddress?: (request: IncomingMessage) => string | undefined;
}

export function resolveAbuseLimits(options: AbuseOptions = {}): AbuseLimits {
  const limits: AbuseLimits = { ...DEFAULT_ABUSE_LIMITS };
  for (const key of Object.keys(DEFAULT_ABUSE_LIMITS) as Array<keyof AbuseLimits>) {
    const value = options[key];
    if (value !== undefined) (limits as Record<keyof AbuseLimits, unknown>)[key] = value;
  }
  return limits;
}
