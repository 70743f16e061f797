import { stampOf, stampedPayload } from '../config.mjs';
import { Latency, cpuWindow, paced, settle, waitFor } from '../measure.mjs';
import { logInUsers } from '../users.mjs';

const CHANNEL = 'attributes';

/**
 * Channel attribute writes with notification, members writing in turn (each well under the
 * spec's 10 writes per 5 s per user): rtm-kit's `addOrUpdateChannelAttributes(channel, { topic },
 * { enableNotificationToChannelMembers: true })`, every member (the writer too) getting
 * `AttributesUpdated`; bare, the value kept in a map and the channel's map emitted to its room.
 * Latency is the writer's, until its call resolves.
 */
export const attributes = {
  name: 'attributes',
  title: (p) => `channel attribute + notification, ${p.members} members, ${p.rate}/s`,
  defaults: { members: 100, rate: 100, warmupMs: 1_000, durationMs: 3_000 },
  quick: { members: 20, rate: 20, warmupMs: 300, durationMs: 700 },
  metrics: [
    ['serverCpuUsPerOp', 'server CPU µs/update'],
    ['serverCpuUsPerDelivery', 'server CPU µs/notification'],
    ['p50Ms', 'p50 ms'],
    ['p99Ms', 'p99 ms'],
  ],
  async run(ctx) {
    const { members, rate, warmupMs, durationMs } = ctx.params;
    let notifications = 0;
    let notificationLatency = new Latency();
    let lastCount = 0;
    const clients = await logInUsers(
      ctx,
      Array.from({ length: members }, (_, i) => `member-${i}`),
      async (client, i) => {
        client.onChannelAttributes(CHANNEL, (attrs) => {
          notifications++;
          notificationLatency.record(performance.now() - stampOf(attrs.topic?.value ?? ''));
        });
        if (i === 0) client.onMemberCount(CHANNEL, (count) => (lastCount = count));
        await client.join(CHANNEL);
      },
    );
    if (ctx.target === 'rtm-kit') await waitFor(() => lastCount === members, 8_000);
    await settle(ctx.server);

    const phase = async (ms) => {
      const latency = new Latency();
      let answered = 0;
      let failures = 0;
      const sent = await paced({
        rate,
        durationMs: ms,
        send: (i) => {
          const start = performance.now();
          clients[i % members]
            .setChannelAttribute(CHANNEL, 'topic', stampedPayload(start))
            .then(
              () => latency.since(start),
              () => failures++,
            )
            .finally(() => answered++);
        },
      });
      await waitFor(() => answered >= sent, 15_000);
      return { sent, failures, latency };
    };

    const warm = await phase(warmupMs);
    await waitFor(() => notifications >= warm.sent * members, 10_000);
    await settle(ctx.server);
    notifications = 0;
    notificationLatency = new Latency();
    const window = await cpuWindow(ctx.server);
    const { sent, failures, latency } = await phase(durationMs);
    const expected = sent * members;
    await waitFor(() => notifications >= expected, 15_000);
    const cpu = await window.stop();
    const notified = notificationLatency.summary();
    return {
      ops: sent,
      failures,
      deliveries: notifications,
      undelivered: expected - notifications,
      serverCpuUsPerOp: cpu.serverCpuUs / sent,
      serverCpuUsPerDelivery: cpu.serverCpuUs / Math.max(1, notifications),
      ...latency.summary(),
      notifyP50Ms: notified.p50Ms,
      notifyP99Ms: notified.p99Ms,
      driverCpuShare: cpu.driverCpuUs / 1000 / cpu.wallMs,
    };
  },
};
