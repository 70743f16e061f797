import { stampedPayload } from '../config.mjs';
import { Latency, cpuWindow, paced, settle, waitFor } from '../measure.mjs';
import { logInUsers } from '../users.mjs';

/**
 * Peer messages with end-to-end receipt between fixed pairs, at a fixed offered rate spread over
 * the senders. A message counts once the sender knows the receiver has it: rtm-kit's
 * `sendMessageToPeer` resolving `hasPeerReceived: true`; bare, the sender's acknowledgement after
 * the receiver's. Four packets each way: send, deliver, receiver's ack, sender's ack.
 */
export const peer = {
  name: 'peer',
  title: (p) => `peer message + receipt, ${p.pairs} pairs, ${p.rate}/s`,
  defaults: { pairs: 100, rate: 2_000, warmupMs: 1_000, durationMs: 3_000 },
  quick: { pairs: 10, rate: 200, warmupMs: 300, durationMs: 700 },
  metrics: [
    ['serverCpuUsPerOp', 'server CPU µs/message'],
    ['p50Ms', 'p50 ms'],
    ['p99Ms', 'p99 ms'],
    // What the server still holds per message after both phases (after GC). No ratio: the bare
    // relay keeps nothing, rtm-kit keeps each message's id for its duplicate check.
    ['heapGrowthBytesPerMessage', 'heap kept B/message', { ratio: false }],
  ],
  async run(ctx) {
    const { pairs, rate, warmupMs, durationMs } = ctx.params;
    const senders = await logInUsers(ctx, Array.from({ length: pairs }, (_, i) => `sender-${i}`));
    const receivers = await logInUsers(ctx, Array.from({ length: pairs }, (_, i) => `receiver-${i}`));
    let received = 0;
    for (const r of receivers) r.onPeer(() => received++);

    const phase = async (ms) => {
      const latency = new Latency();
      let answered = 0;
      let failures = 0;
      const sent = await paced({
        rate,
        durationMs: ms,
        send: (i) => {
          const start = performance.now();
          senders[i % pairs]
            .sendPeer(receivers[i % pairs].uid, stampedPayload(start))
            .then(
              (hasPeerReceived) => (hasPeerReceived ? latency.since(start) : failures++),
              () => failures++,
            )
            .finally(() => answered++);
        },
      });
      await waitFor(() => answered >= sent, 15_000);
      return { sent, answered, failures, latency };
    };

    await phase(warmupMs);
    await settle(ctx.server);
    // After the warm-up, so that code compiled for the first messages does not count.
    const heapAtStart = await ctx.server.memory();
    const window = await cpuWindow(ctx.server);
    const before = received;
    const { sent, answered, failures, latency } = await phase(durationMs);
    const cpu = await window.stop();
    const heapAtEnd = await ctx.server.memory();
    return {
      ops: sent,
      unanswered: sent - answered,
      failures,
      delivered: received - before,
      serverCpuUsPerOp: cpu.serverCpuUs / sent,
      ...latency.summary(),
      driverCpuShare: cpu.driverCpuUs / 1000 / cpu.wallMs,
      heapGrowthBytesPerMessage: (heapAtEnd.heapUsed - heapAtStart.heapUsed) / sent,
    };
  },
};
