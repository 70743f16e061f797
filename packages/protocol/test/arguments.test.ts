import { describe, expect, it } from 'vitest';
import { channelIdsProblem, memberCountDelayMs, peerIdsProblem, REQUEST_ERRORS } from '@rtm-kit/protocol';

describe('argument rules shared by client and server', () => {
  it('peer IDs: a non-empty array of valid IDs, at most max distinct', () => {
    expect(peerIdsProblem([], 2, 64)?.code).toBe('INVALID_ARGUMENT');
    expect(peerIdsProblem('alice', 2, 64)?.code).toBe('INVALID_ARGUMENT');
    expect(peerIdsProblem(['alice', 'null'], 2, 64)?.code).toBe('INVALID_ARGUMENT');
    expect(peerIdsProblem(['a', 'b', 'c'], 2, 64)?.code).toBe('TOO_MANY');
    expect(peerIdsProblem(['a', 'b', 'a'], 2, 64)).toBeNull();
  });

  it('channel IDs: the count (repeats included) is checked before the IDs', () => {
    expect(channelIdsProblem([], 2, 64)?.code).toBe('INVALID_ARGUMENT');
    expect(channelIdsProblem(['a', 'a', 'null'], 2, 64)?.code).toBe('TOO_MANY');
    expect(channelIdsProblem(['a', 'null'], 2, 64)?.code).toBe('INVALID_ARGUMENT');
    expect(channelIdsProblem(['a', 'b'], 2, 64)).toBeNull();
  });
});

describe('member-count throttle', () => {
  const throttle = { periodMs: 1_000, largePeriodMs: 3_000, largeAbove: 512 };

  it('waits out the period since the last update, longer above the large-channel threshold', () => {
    expect(memberCountDelayMs(throttle, -Infinity, 5, 0)).toBe(0);
    expect(memberCountDelayMs(throttle, 1_000, 5, 1_400)).toBe(600);
    expect(memberCountDelayMs(throttle, 1_000, 513, 1_400)).toBe(2_600);
    expect(memberCountDelayMs(throttle, 1_000, 5, 2_000)).toBe(0);
  });
});

describe('request table', () => {
  it('names a timeout code for every request', () => {
    for (const codes of Object.values(REQUEST_ERRORS)) expect(typeof codes.timeout).toBe('string');
    expect(REQUEST_ERRORS['peer:send'].timeout).toBe('PEER_MESSAGE_ERR_TIMEOUT');
  });
});
