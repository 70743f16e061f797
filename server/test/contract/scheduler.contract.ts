import { afterEach, describe, expect, it } from 'vitest';
import type { Scheduler } from '@rtm-kit/server/core';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What every Scheduler must do, in real time at short delays. */
export function describeSchedulerContract(makeScheduler: () => Promise<Scheduler>): void {
  describe('scheduler', () => {
    const made: Scheduler[] = [];
    const make = async () => {
      const s = await makeScheduler();
      made.push(s);
      return s;
    };
    afterEach(() => {
      for (const s of made.splice(0)) s.dispose();
    });

    it('runs the handler of a kind once, with the key and the time it was due', async () => {
      const s = await make();
      const runs: Array<[string, number]> = [];
      s.handle('k', async (key, dueAt) => void runs.push([key, dueAt]));
      const dueAt = Date.now() + 50;
      await s.schedule('k', 'a', dueAt);
      await sleep(20);
      expect(runs).toEqual([]);
      await sleep(300);
      expect(runs).toEqual([['a', dueAt]]);
    });

    it('moves a deadline scheduled again under the same kind and key', async () => {
      const s = await make();
      const runs: number[] = [];
      s.handle('k', async (_key, dueAt) => void runs.push(dueAt));
      const first = Date.now() + 40;
      const second = Date.now() + 200;
      await s.schedule('k', 'a', first);
      await s.schedule('k', 'a', second);
      await sleep(120);
      expect(runs).toEqual([]);
      await sleep(300);
      expect(runs).toEqual([second]);
    });

    it('forgets a cancelled deadline and keeps kinds and keys apart', async () => {
      const s = await make();
      const runs: string[] = [];
      s.handle('k', async (key) => void runs.push(`k:${key}`));
      s.handle('j', async (key) => void runs.push(`j:${key}`));
      const dueAt = Date.now() + 40;
      await s.schedule('k', 'a', dueAt);
      await s.schedule('k', 'b', dueAt);
      await s.schedule('j', 'a', dueAt);
      await s.cancel('k', 'a');
      await sleep(300);
      expect(runs.sort()).toEqual(['j:a', 'k:b']);
    });

    it('runs a deadline already due at once, and goes on after a handler throws', async () => {
      const s = await make();
      const runs: string[] = [];
      s.handle('boom', async () => {
        throw new Error('handler failure');
      });
      s.handle('k', async (key) => void runs.push(key));
      await s.schedule('boom', 'x', Date.now() - 1_000);
      await s.schedule('k', 'late', Date.now() - 1_000);
      await sleep(200);
      expect(runs).toEqual(['late']);
    });
  });
}
