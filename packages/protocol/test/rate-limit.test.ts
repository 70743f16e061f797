import { describe, expect, it } from 'vitest';
import { KeyedSlidingWindows, SlidingWindow } from '@rtm-kit/protocol';

describe('SlidingWindow', () => {
  it('allows count calls per window and frees slots as they age out', () => {
    const w = new SlidingWindow({ count: 3, windowMs: 1000 });
    expect([w.tryTake(0), w.tryTake(10), w.tryTake(20), w.tryTake(30)]).toEqual([true, true, true, false]);
    expect(w.tryTake(999)).toBe(false);
    expect(w.tryTake(1000)).toBe(true); // the call at 0 left the window
    expect(w.tryTake(1005)).toBe(false);
    expect(w.tryTake(1010)).toBe(true);
  });

  it('keeps separate windows per key', () => {
    const w = new KeyedSlidingWindows({ count: 1, windowMs: 1000 });
    expect(w.tryTake('a', 0)).toBe(true);
    expect(w.tryTake('a', 1)).toBe(false);
    expect(w.tryTake('b', 1)).toBe(true);
  });
});
