import { createBenchClient } from '../clients.mjs';
import { Latency, cpuWindow, pool, settle } from '../measure.mjs';
import { logInClients } from '../users.mjs';

/**
 * Logins, a fixed number in flight at once, each a new connection from its own address. rtm-kit:
 * `RtmClient.login` with an AccessToken2 token from `agora-token` (verified by the server, a
 * session opened, `session:ready` answered). Bare: a socket.io connection whose handshake carries
 * an HMAC-SHA256-signed token the server checks (one HMAC, see config.mjs). Tokens are made
 * before the clock starts.
 */
export const login = {
  name: 'login',
  title: (p) => `login with token, ${p.logins} users, ${p.concurrency} at once`,
  defaults: { logins: 500, warmup: 50, concurrency: 25 },
  quick: { logins: 40, warmup: 10, concurrency: 10 },
  metrics: [
    ['serverCpuUsPerOp', 'server CPU µs/login'],
    ['p50Ms', 'p50 ms'],
    ['p99Ms', 'p99 ms'],
    ['opsPerSec', 'logins/s'],
  ],
  async run(ctx) {
    const { logins, warmup, concurrency } = ctx.params;
    const make = (prefix, n) => Array.from({ length: n }, (_, i) => createBenchClient(ctx.target, ctx.url, `${prefix}-${i}`, ctx.nextClient()));
    const warm = make('warm', warmup);
    const measured = make('user', logins);
    await logInClients(warm);
    await settle(ctx.server);

    const latency = new Latency();
    const window = await cpuWindow(ctx.server);
    const failures = await pool(measured, concurrency, async (client) => {
      const start = performance.now();
      await client.login();
      latency.since(start);
    });
    const cpu = await window.stop();
    return {
      ops: logins,
      failures: failures.length,
      serverCpuUsPerOp: cpu.serverCpuUs / logins,
      opsPerSec: logins / (cpu.wallMs / 1000),
      ...latency.summary(),
      driverCpuShare: cpu.driverCpuUs / 1000 / cpu.wallMs,
    };
  },
};
