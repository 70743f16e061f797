import { createBenchClient } from '../clients.mjs';
import { Latency, cpuWindow, pool, settle } from '../measure.mjs';

/**
 * Logins, a fixed number in flight at once, each a new connection from its own address. rtm-kit:
 * `RtmClient.login` with an AccessToken2 token from `agora-token` (verified by the server, a
 * session opened, `session:ready` answered). Bare: a socket.io connection whose handshake carries
 * an HMAC-SHA256-signed token the server checks (one HMAC, see config.mjs). Tokens are made
 * before the clock starts.
 *
 * Two figures. The first `warmup` logins of a freshly started server run its code cold (not yet
 * compiled by the JIT, whose compiler threads count in the process's CPU); they are measured as
 * they go and reported as the fresh-process cost. Those users then log out, the server collects
 * their garbage and goes quiet, and the measured `logins` show what a login costs a server that
 * has been serving a while, with the same connections open on both sides.
 */
export const login = {
  name: 'login',
  title: (p) => `login with token, ${p.logins} users, ${p.concurrency} at once`,
  defaults: { logins: 500, warmup: 1_000, concurrency: 25 },
  quick: { logins: 40, warmup: 20, concurrency: 10 },
  metrics: [
    ['serverCpuUsPerOp', 'server CPU µs/login'],
    ['coldServerCpuUsPerOp', 'server CPU µs/login, first 1,000 of a fresh process'],
    ['p50Ms', 'p50 ms'],
    ['p99Ms', 'p99 ms'],
    ['opsPerSec', 'logins/s'],
  ],
  async run(ctx) {
    const { logins, warmup, concurrency } = ctx.params;
    const make = (prefix, n) => Array.from({ length: n }, (_, i) => createBenchClient(ctx.target, ctx.url, `${prefix}-${i}`, ctx.nextClient()));
    const warm = make('warm', warmup);
    const measured = make('user', logins);

    const cold = await cpuWindow(ctx.server, { profile: false });
    const warmFailures = await pool(warm, concurrency, (client) => client.login());
    const coldCpu = await cold.stop();
    if (warmFailures.length > 0) throw new Error(`${warmFailures.length} of ${warmup} warm-up logins failed: ${String(warmFailures[0]?.message ?? warmFailures[0])}`);
    for (const client of warm) client.close();
    await settle(ctx.server);
    await ctx.server.memory();
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
      coldServerCpuUsPerOp: coldCpu.serverCpuUs / warmup,
      opsPerSec: logins / (cpu.wallMs / 1000),
      ...latency.summary(),
      driverCpuShare: cpu.driverCpuUs / 1000 / cpu.wallMs,
    };
  },
};
