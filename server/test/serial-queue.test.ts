import { describe, expect, it } from 'vitest';
import { SerialQueues } from '../src/core/messaging/serial-queue.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe('SerialQueues', () => {
  it('answers at once, holding nothing, when nothing of the key is queued and the task answers at once', () => {
    const queues = new SerialQueues();
    expect(queues.run('a', () => 42)).toBe(42);
    expect(queues.size).toBe(0);
    expect(() =>
      queues.run('a', () => {
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect(queues.size).toBe(0);
  });

  it('runs a task that answers at once after the slower tasks queued before it, in order', async () => {
    const queues = new SerialQueues();
    const order: string[] = [];
    const slow = queues.run('a', async () => {
      await tick();
      order.push('slow');
      return 'slow';
    });
    expect(queues.size).toBe(1);
    const quick = queues.run('a', () => {
      order.push('quick');
      return 'quick';
    });
    // Queued behind the slow one, so it answers with a promise.
    expect(quick).toBeInstanceOf(Promise);
    const other = queues.run('b', () => {
      order.push('other key');
      return 'other';
    });
    expect(other).toBe('other');
    expect(await Promise.all([slow, quick])).toEqual(['slow', 'quick']);
    expect(order).toEqual(['other key', 'slow', 'quick']);
    await tick();
    expect(queues.size).toBe(0);
  });

  it('goes on with the next task of a key after one rejects', async () => {
    const queues = new SerialQueues();
    const failing = queues.run('a', async () => {
      await tick();
      throw new Error('failed');
    });
    const next = queues.run('a', () => 'next');
    await expect(failing).rejects.toThrow('failed');
    await expect(next).resolves.toBe('next');
    await tick();
    expect(queues.size).toBe(0);
  });
});
