import { describe, expect, it } from 'vitest';
import { isValidAppId, isValidId, utf8ByteLength } from '@rtm-kit/protocol';

describe('identifiers (§10.1)', () => {
  it('accepts 1 to 64 characters of the allowed set', () => {
    expect(isValidId('a')).toBe(true);
    expect(isValidId('x'.repeat(64))).toBe(true);
    expect(isValidId('Alice_01!#$%&()+-:;<=.>?@[]^{}|~, ok')).toBe(true);
  });

  it('allows a leading space, as the Web SDK does', () => {
    expect(isValidId(' alice')).toBe(true);
  });

  it('refuses empty, too long, "null", non-strings and characters outside the set', () => {
    expect(isValidId('')).toBe(false);
    expect(isValidId('x'.repeat(65))).toBe(false);
    expect(isValidId('null')).toBe(false);
    expect(isValidId(null)).toBe(false);
    expect(isValidId(42)).toBe(false);
    expect(isValidId('a/b')).toBe(false);
    expect(isValidId('a*b')).toBe(false);
    expect(isValidId('é')).toBe(false);
    expect(isValidId('tab\there')).toBe(false);
    expect(isValidId('new\nline')).toBe(false);
  });

  it('checks App IDs as 32 letters or digits', () => {
    expect(isValidAppId('0123456789abcdef0123456789ABCDEF')).toBe(true);
    expect(isValidAppId('0123456789abcdef0123456789ABCDE')).toBe(false);
    expect(isValidAppId('0123456789abcdef0123456789ABCDE-')).toBe(false);
  });

  it('measures sizes in UTF-8 bytes', () => {
    expect(utf8ByteLength('abc')).toBe(3);
    expect(utf8ByteLength('é')).toBe(2);
    expect(utf8ByteLength('😀')).toBe(4);
  });
});
