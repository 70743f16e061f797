import { createBenchClient } from './clients.mjs';
import { pool } from './measure.mjs';

/** Logins, joins and subscriptions of a setup run this many at once. */
const SETUP_CONCURRENCY = 50;

/**
 * Creates `uids.length` users of the run's target and logs them in (and, when `setup` is given,
 * runs it for each right after its login). Throws when any of them failed: a workload measured
 * on fewer users than it says would report wrong figures.
 */
export async function logInUsers(ctx, uids, setup = async () => {}) {
  // A fleet run spreads its users over the nodes (`ctx.urlFor`); otherwise all use `ctx.url`.
  const clients = uids.map((uid) => createBenchClient(ctx.target, ctx.urlFor?.(uid) ?? ctx.url, uid, ctx.nextClient()));
  await logInClients(clients, setup);
  return clients;
}

/** Logs in clients made with `createBenchClient`; see `logInUsers`. */
export async function logInClients(clients, setup = async () => {}) {
  const failures = await pool(clients, SETUP_CONCURRENCY, async (client, i) => {
    await client.login();
    await setup(client, i);
  });
  if (failures.length > 0) {
    throw new Error(`${failures.length} of ${clients.length} users could not log in or set up: ${String(failures[0]?.message ?? failures[0])}`);
  }
}
