import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Leases } from '@rtm-kit/store';

describe('Leases', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function track() {
    const calls: string[] = [];
    const leases = new Leases<string>(100, {
      first: (key) => calls.push(`first:${key}`),
      last: (key) => calls.push(`last:${key}`),
    });
    return { calls, leases };
  }

  it('calls first once for many holders and last once, after the delay, when all let go', () => {
    const { calls, leases } = track();
    const a = leases.acquire('lobby');
    const b = leases.acquire('lobby');
    expect(calls).toEqual(['first:lobby']);
    a();
    b();
    expect(calls).toEqual(['first:lobby']);
    expect(leases.held('lobby')).toBe(true);
    vi.advanceTimersByTime(99);
    expect(calls).toEqual(['first:lobby']);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['first:lobby', 'last:lobby']);
    expect(leases.held('lobby')).toBe(false);
    expect(leases.keys()).toEqual([]);
  });

  it('absorbs a release followed by an acquire within the delay (Strict Mode remount)', () => {
    const { calls, leases } = track();
    const first = leases.acquire('lobby');
    first();
    const second = leases.acquire('lobby');
    vi.advanceTimersByTime(1_000);
    expect(calls).toEqual(['first:lobby']);
    second();
    vi.advanceTimersByTime(100);
    expect(calls).toEqual(['first:lobby', 'last:lobby']);
  });

  it('treats a release function called twice as one release', () => {
    const { calls, leases } = track();
    const a = leases.acquire('x');
    const b = leases.acquire('x');
    a();
    a();
    vi.advanceTimersByTime(500);
    expect(calls).toEqual(['first:x']);
    b();
    vi.advanceTimersByTime(100);
    expect(calls).toEqual(['first:x', 'last:x']);
  });

  it('keeps keys independent and starts afresh after a completed release', () => {
    const { calls, leases } = track();
    const a = leases.acquire('a');
    const b = leases.acquire('b');
    a();
    vi.advanceTimersByTime(100);
    expect(leases.keys()).toEqual(['b']);
    const again = leases.acquire('a');
    expect(calls).toEqual(['first:a', 'first:b', 'last:a', 'first:a']);
    again();
    b();
    leases.clear();
    vi.advanceTimersByTime(1_000);
    expect(calls).toEqual(['first:a', 'first:b', 'last:a', 'first:a']);
    expect(leases.keys()).toEqual([]);
  });
});

describe('Leases.clear', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('turns the release functions of holds it dropped into no-ops', () => {
    const calls: string[] = [];
    const leases = new Leases<string>(100, {
      first: (key) => calls.push(`first:${key}`),
      last: (key) => calls.push(`last:${key}`),
    });
    const stale = leases.acquire('lobby');
    leases.clear();
    const fresh = leases.acquire('lobby');
    stale(); // from before clear(): must not release the new holder's hold
    vi.advanceTimersByTime(1_000);
    expect(calls).toEqual(['first:lobby', 'first:lobby']);
    expect(leases.held('lobby')).toBe(true);
    fresh();
    vi.advanceTimersByTime(100);
    expect(calls).toEqual(['first:lobby', 'first:lobby', 'last:lobby']);
  });
});
