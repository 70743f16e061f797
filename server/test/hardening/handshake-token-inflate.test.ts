import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RtmTokenBuilder } from 'agora-token';
import { accessToken2Verifier } from '@rtm-kit/server';

const APP_ID = '0123456789abcdef0123456789abcdef';
const CERT = 'fedcba9876543210fedcba9876543210';
const app = { appId: APP_ID, appCertificate: CERT };

// The parser the verifier hands tokens to (the same CommonJS module instance).
const { AccessToken2 } = createRequire(import.meta.url)('agora-token/src/AccessToken2.js') as {
  AccessToken2: { prototype: { from_string(token: string): boolean } };
};

/** An AccessToken2-looking token whose body is `bytes`, compressed as agora-token does. */
const tokenOf = (bytes: Buffer) => `007${deflateSync(bytes, { level: 9 }).toString('base64')}`;

describe('a token that inflates far beyond a real one', () => {
  const now = Date.now();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('is refused before the parser inflates it when its body is longer than any real token', () => {
    const parse = vi.spyOn(AccessToken2.prototype, 'from_string');
    // 40 MB of zeros: about 40 KB compressed.
    const bomb = tokenOf(Buffer.alloc(40 * 1024 * 1024));
    expect(bomb.length).toBeGreaterThan(40_000);
    expect(accessToken2Verifier.verify(app, 'alice', bomb, now)).toEqual({ ok: false, reason: 'invalid', message: 'The token is not an AccessToken2 token.' });
    expect(parse).not.toHaveBeenCalled();
  });

  it('goes to the parser at once when it is as short as real tokens, and is refused there', () => {
    const parse = vi.spyOn(AccessToken2.prototype, 'from_string');
    // Short enough that nothing it holds inflates past 256 KB; 200 KB of zeros is about 200 bytes.
    const small = tokenOf(Buffer.alloc(200 * 1024));
    expect(Buffer.from(small.slice(3), 'base64').length).toBeLessThan(254);
    expect(accessToken2Verifier.verify(app, 'alice', small, now)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it('lets a real token through with one parse', () => {
    const parse = vi.spyOn(AccessToken2.prototype, 'from_string');
    const token = RtmTokenBuilder.buildToken(APP_ID, CERT, 'alice', 3600);
    expect(accessToken2Verifier.verify(app, 'alice', token, now)).toMatchObject({ ok: true });
    expect(parse).toHaveBeenCalledTimes(1);
  });
});
