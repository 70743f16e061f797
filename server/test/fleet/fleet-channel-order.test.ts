import { describe, expect, it } from 'vitest';
import { redisAvailable } from '../redis/redis-available.js';
import { useFleet } from './fleet-kit.js';

const waitFor = async (check: () => boolean, what: string, ms = 10_000) => {
  for (let i = 0, until = Date.now() + ms; i < 100_000; i++) {
    if (check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe.runIf(redisAvailable)('channel messages sent through two nodes at once', () => {
  const fleet = useFleet();

  it('reach every member on either node, each once, each sender in order', { timeout: 30_000 }, async () => {
    const a = await fleet.node();
    const b = await fleet.node();
    const [s1, m1] = [await fleet.user('s1', a), await fleet.user('m1', a)];
    const [s2, m2] = [await fleet.user('s2', b), await fleet.user('m2', b)];
    const rooms = [s1, m1, s2, m2].map((c) => c.createChannel('room'));
    for (const room of rooms) await room.join();
    const inbox = (i: number) => {
      const got: string[] = [];
      rooms[i]!.on('ChannelMessage', (m, from) => got.push(`${from}:${'text' in m ? m.text : ''}`));
      return got;
    };
    const [at1, at2] = [inbox(1), inbox(3)];

    // Both senders fire 60 messages each, without waiting: their seqs interleave across the nodes.
    const N = 60;
    await Promise.all([
      Promise.all(Array.from({ length: N }, (_, i) => rooms[0]!.sendMessage({ text: String(i) }))),
      Promise.all(Array.from({ length: N }, (_, i) => rooms[2]!.sendMessage({ text: String(i) }))),
    ]);
    await waitFor(() => at1.length >= 2 * N && at2.length >= 2 * N, 'every message at both members');
    await new Promise((r) => setTimeout(r, 200));
    for (const got of [at1, at2]) {
      expect(got).toHaveLength(2 * N);
      expect(new Set(got).size).toBe(2 * N);
      for (const sender of ['s1', 's2']) {
        const own = got.filter((m) => m.startsWith(`${sender}:`)).map((m) => Number(m.split(':')[1]));
        expect(own).toEqual(Array.from({ length: N }, (_, i) => i));
      }
    }
  });
});
