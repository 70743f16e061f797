import { afterEach, describe, expect, it } from 'vitest';
import { randomId, randomToken, sameSecret } from '../src/core/secrets.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('randomId', () => {
  const own = Object.getOwnPropertyDescriptor(globalThis.crypto, 'randomUUID');
  afterEach(() => {
    if (own) Object.defineProperty(globalThis.crypto, 'randomUUID', own);
    else delete (globalThis.crypto as { randomUUID?: unknown }).randomUUID;
  });

  it('makes distinct v4 UUIDs', () => {
    const ids = Array.from({ length: 2_000 }, () => randomId());
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('makes them from random bytes where Web Crypto has no randomUUID (a browser on an insecure origin)', () => {
    Object.defineProperty(globalThis.crypto, 'randomUUID', { value: undefined, configurable: true, writable: true });
    expect(globalThis.crypto.randomUUID).toBeUndefined();
    // Over several refills of the byte pool, so slices never overlap and refills keep working.
    const ids = Array.from({ length: 500 }, () => randomId());
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(ids.length);
    // Every hex digit of the random part turns up: the bytes are used, not a constant.
    const digits = new Set(ids.join('').replaceAll('-', ''));
    expect(digits.size).toBe(16);
  });
});

describe('randomToken', () => {
  it('makes distinct 32-character URL-safe tokens across refills of the byte pool', () => {
    const tokens = Array.from({ length: 1_000 }, () => randomToken());
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
  });
});

describe('sameSecret', () => {
  it('is true only for the same string', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abd', 'abc')).toBe(false);
    expect(sameSecret('ab', 'abc')).toBe(false);
    expect(sameSecret(null, 'abc')).toBe(false);
    expect(sameSecret(undefined, 'abc')).toBe(false);
  });
});
