import type { TypedServer } from '../../binding/types.js';
import type { Readiness } from './readiness.js';

export interface DrainOptions {
  /** The most a drain takes before the server closes regardless. Default 10 s. */
  readonly timeoutMs?: number | undefined;
}

export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;
/** After the last connection went: time for its session's store writes (the grace period starting). */
const SETTLE_MS = 250;

/**
 * Takes a node out of service without ending anyone's session:
 *
 * 1. `/readyz` answers 503 and new connections are refused (the load balancer moves on);
 * 2. every connection is closed at the transport, as a network failure would close it: the 1.x
 *    client does not treat that as a kick, it reconnects (RECONNECTING after 4 s without a
 *    connection), and the server starts its session's 30 s grace period;
 * 3. once no connection is left (or the bound is reached) and the grace-period writes have had a
 *    moment, `close` runs.
 *
 * With a store every node shares (Redis), the client's reconnect lands on another node, which
 * resumes the same session: channels, subscriptions and attributes intact. With the memory store
 * the session goes with the process and the client logs in afresh by itself.
 */
export async function drain(io: TypedServer, readiness: Readiness, close: () => Promise<void>, options: DrainOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  readiness.startDraining();
  // Engine-level connections: logged in or still in the handshake.
  // engine.io keeps them in a protected map; its `close()` closes them with the server itself.
  const { clients } = io.engine as unknown as { clients: Record<string, { close(): void }> };
  for (const client of Object.values(clients)) client.close();
  for (let i = 0; i < 1_000 && io.engine.clientsCount > 0 && Date.now() < deadline; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(SETTLE_MS, deadline - Date.now()))));
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    close(),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, deadline - Date.now()) + 1_000);
    }),
  ]);
  clearTimeout(timer);
}
