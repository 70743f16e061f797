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

  it('answers as a list of every call would, across growing and wrapping around its ring', () => {
    // A plain list of the calls in the window is the reference; times come from a fixed LCG.
    for (const limit of [
      { count: 1, windowMs: 50 },
      { count: 7, windowMs: 100 },
      { count: 40, windowMs: 300 },
    ]) {
      const w = new SlidingWindow(limit);
      let calls: number[] = [];
      let now = 0;
      let seed = 12345;
      for (let i = 0; i < 5_000; i++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        now += seed % 23;
        calls = calls.filter((t) => t > now - limit.windowMs);
        const allowed = calls.length < limit.count;
        if (seed % 5 === 0) {
          expect(w.wouldAllow(now)).toBe(allowed);
          continue;
        }
        expect(w.tryTake(now)).toBe(allowed);
        if (allowed) calls.push(now);
        expect(w.isIdle(now)).toBe(calls.length === 0);
      }
    }
  });

  it('holds as many calls as a fractional count lets in', () => {
    // 10 < 10.5, so an 11th call within the window is allowed, and a 12th is not.
    const w = new SlidingWindow({ count: 10.5, windowMs: 1000 });
    for (let t = 0; t < 11; t++) expect(w.tryTake(t)).toBe(true);
    expect(w.tryTake(11)).toBe(false);
    // Each call leaves the window on its own time: the one at 0 first, then the one at 1.
    expect(w.tryTake(1000)).toBe(true);
    expect(w.tryTake(1000)).toBe(false);
    expect(w.tryTake(1001)).toBe(true);
  });

  it('keeps separate windows per key', () => {
    const w = new KeyedSlidingWindows({ count: 1, windowMs: 1000 });
    expect(w.tryTake('a', 0)).toBe(true);
    expect(w.tryTake('a', 1)).toBe(false);
    expect(w.tryTake('b', 1)).toBe(true);
  });
});
