import { stampOf, stampedPayload } from '../config.mjs';
import { Latency, cpuWindow, paced, settle, waitFor } from '../measure.mjs';
import { logInUsers } from '../users.mjs';

const CHANNEL = 'fanout';

/**
 * Channel messages to every other member of one channel: rtm-kit's `RtmChannel.sendMessage`,
 * bare a room broadcast except the sender. A few members publish in turn (each stays well under
 * the spec's 60 messages/s per client); latency is from publishing to each member's receipt,
 * all in the one driver process, so it includes the driver's own time to decode every copy.
 */
function fanout(name, members, rate, quickMembers) {
  return {
    name,
    title: (p) => `channel fan-out to ${p.members} members, ${p.rate} msg/s`,
    defaults: { members, publishers: 4, rate, warmupMs: 1_000, durationMs: 3_000 },
    quick: { members: quickMembers, publishers: 2, rate: 10, warmupMs: 300, durationMs: 700 },
    metrics: [
      ['serverCpuUsPerDelivery', 'server CPU µs/delivery'],
      ['p50Ms', 'delivery p50 ms'],
      ['p99Ms', 'delivery p99 ms'],
    ],
    async run(ctx) {
      const { members: n, publishers, rate: perSecond, warmupMs, durationMs } = ctx.params;
      let latency = new Latency();
      let deliveries = 0;
      let lastCount = 0;
      const clients = await logInUsers(
        ctx,
        Array.from({ length: n }, (_, i) => `member-${i}`),
        async (client, i) => {
          client.onChannelMessage(CHANNEL, (text) => {
            deliveries++;
            latency.record(performance.now() - stampOf(text));
          });
          if (i === 0) client.onMemberCount(CHANNEL, (count) => (lastCount = count));
          await client.join(CHANNEL);
        },
      );
      // rtm-kit sends member counts at most once a period; wait for the last one, so that no
      // update of the setup goes out during the measured window.
      if (ctx.target === 'rtm-kit') await waitFor(() => lastCount === n, 8_000);
      await settle(ctx.server);

      const phase = async (ms) => {
        let failures = 0;
        const sent = await paced({
          rate: perSecond,
          durationMs: ms,
          send: (i) => {
            clients[i % publishers].publish(CHANNEL, stampedPayload(performance.now())).catch(() => failures++);
          },
        });
        return { sent, failures };
      };

      const warm = await phase(warmupMs);
      await waitFor(() => deliveries >= warm.sent * (n - 1), 10_000);
      await settle(ctx.server);
      latency = new Latency();
      deliveries = 0;
      const window = await cpuWindow(ctx.server);
      const { sent, failures } = await phase(durationMs);
      const expected = sent * (n - 1);
      await waitFor(() => deliveries >= expected, 15_000);
      const cpu = await window.stop();
      return {
        ops: sent,
        failures,
        deliveries,
        undelivered: expected - deliveries,
        serverCpuUsPerOp: cpu.serverCpuUs / sent,
        serverCpuUsPerDelivery: cpu.serverCpuUs / Math.max(1, deliveries),
        ...latency.summary(),
        driverCpuShare: cpu.driverCpuUs / 1000 / cpu.wallMs,
      };
    },
  };
}

export const fanout100 = fanout('fanout100', 100, 100, 20);
export const fanout1000 = fanout('fanout1000', 1_000, 10, 50);
