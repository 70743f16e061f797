import { cpuWindow, settle, sleep } from '../measure.mjs';
import { logInUsers } from '../users.mjs';

/**
 * Idle logged-in users, each a member of one channel (groups of `channelSize`) and subscribed to
 * the online status of `subscriptions` others. Memory is the server's after a full GC, per user,
 * between half the users and all of them (so what the first connections warm up — code, pools,
 * the per-app state — is not spread over the users). Then `idleMs` of nothing but pings.
 * Bare: connection + rooms `u:<uid>`, `c:<channel>` and one `s:<uid>` per subscription.
 */
export const idle = {
  name: 'idle',
  title: (p) => `${p.users} idle users, 1 channel + ${p.subscriptions} status subscriptions each`,
  defaults: { users: 1_000, channelSize: 10, subscriptions: 5, idleMs: 2_000 },
  quick: { users: 60, channelSize: 10, subscriptions: 5, idleMs: 300 },
  metrics: [
    ['heapKbPerUser', 'heap KB/user'],
    ['rssKbPerUser', 'RSS KB/user'],
    ['serverCpuUsPerOp', 'setup CPU µs/user'],
    ['idleCpuUsPerUserSec', 'idle CPU µs/user/s'],
  ],
  async run(ctx) {
    const { users, channelSize, subscriptions, idleMs } = ctx.params;
    const uid = (i) => `user-${i % users}`;
    const setUp = async (from, to) =>
      logInUsers(
        ctx,
        Array.from({ length: to - from }, (_, i) => uid(from + i)),
        async (client, i) => {
          const n = from + i;
          await client.join(`group-${Math.floor(n / channelSize)}`);
          await client.subscribe(Array.from({ length: subscriptions }, (_, s) => uid(n + 1 + s)));
        },
      );
    const half = Math.floor(users / 2);
    const start = await ctx.server.memory();
    await setUp(0, half);
    await settle(ctx.server);
    const atHalf = await ctx.server.memory();
    await ctx.snapshot?.('half');
    const setup = await cpuWindow(ctx.server);
    await setUp(half, users);
    await settle(ctx.server);
    const setupCpu = await setup.stop();
    const atFull = await ctx.server.memory();
    await ctx.snapshot?.('full');

    const window = await cpuWindow(ctx.server);
    await sleep(idleMs);
    const idleCpu = await window.stop();
    const added = users - half;
    return {
      ops: users,
      heapKbPerUser: (atFull.heapUsed - atHalf.heapUsed) / added / 1024,
      rssKbPerUser: (atFull.rss - atHalf.rss) / added / 1024,
      heapKbPerUserFromStart: (atFull.heapUsed - start.heapUsed) / users / 1024,
      serverCpuUsPerOp: setupCpu.serverCpuUs / added,
      idleCpuUsPerUserSec: idleCpu.serverCpuUs / users / (idleCpu.wallMs / 1000),
      heapUsedMb: atFull.heapUsed / 1024 / 1024,
      rssMb: atFull.rss / 1024 / 1024,
    };
  },
};
