import { afterEach, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { RtmTokenBuilder } from 'agora-token';
import { accessToken2Verifier, startServer, type RtmServer } from '@rtm-kit/server';

const APP_ID = '0123456789abcdef0123456789abcdef';
const CERT = 'fedcba9876543210fedcba9876543210';
const app = { appId: APP_ID, appCertificate: CERT };

/** The token with `junk` inserted at `at` (counted from the start of the whole token). */
const insert = (token: string, at: number, junk: string) => token.slice(0, at) + junk + token.slice(at);

describe('an AccessToken2 verifies only in its canonical encoding', () => {
  const token = RtmTokenBuilder.buildToken(APP_ID, CERT, 'alice', 3600);
  const now = Date.now();

  it('accepts the token as agora-token made it', () => {
    expect(accessToken2Verifier.verify(app, 'alice', token, now)).toMatchObject({ ok: true });
  });

  // Characters Node's base64 decoder skips: without the check, each of these tokens verified.
  it.each([' ', '\n', '\t', '!', '.', '*', '~', '%', '#', '"', '\u00e9'])('refuses it with %j inserted', (junk) => {
    for (const at of [3, 4, 10, Math.floor(token.length / 2), token.length - 1, token.length]) {
      expect(accessToken2Verifier.verify(app, 'alice', insert(token, at, junk), now)).toMatchObject({ ok: false, reason: 'invalid' });
    }
  });

  it('refuses other spellings of the same bytes: URL-safe alphabet, missing or extra padding', () => {
    const body = token.slice(3);
    const spellings = [
      `007${body.replace(/\+/g, '-').replace(/\//g, '_')}`,
      `007${body.replace(/=+$/, '')}`,
      `${token}==`,
      `${token}====`,
    ].filter((t) => t !== token);
    expect(spellings.length).toBeGreaterThan(1);
    for (const t of spellings) expect(accessToken2Verifier.verify(app, 'alice', t, now)).toMatchObject({ ok: false });
  });

  it('refuses non-zero padding bits (the same bytes, another last character)', () => {
    // Find a token whose base64 ends with padding, so its last character carries unused bits.
    let padded = token;
    for (let seconds = 3601; !padded.endsWith('=') && seconds < 3700; seconds++) padded = RtmTokenBuilder.buildToken(APP_ID, CERT, 'alice', seconds);
    expect(padded.endsWith('=')).toBe(true);
    const i = padded.replace(/=+$/, '').length - 1;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const bumped = alphabet[alphabet.indexOf(padded[i]!) + 1]!;
    const variant = padded.slice(0, i) + bumped + padded.slice(i + 1);
    expect(Buffer.from(variant.slice(3), 'base64').equals(Buffer.from(padded.slice(3), 'base64'))).toBe(true);
    expect(accessToken2Verifier.verify(app, 'alice', padded, now)).toMatchObject({ ok: true });
    expect(accessToken2Verifier.verify(app, 'alice', variant, now)).toMatchObject({ ok: false });
  });

  describe('at the login handshake', () => {
    let server: RtmServer;
    const sockets: Socket[] = [];
    afterEach(async () => {
      for (const s of sockets.splice(0)) s.disconnect();
      await server.close();
    });

    it('refuses a login with junk in the token with LOGIN_ERR_INVALID_TOKEN (5)', async () => {
      server = await startServer({ port: 0, logger: false, apps: [app] });
      const login = (t: string) => {
        const socket = io(server.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { v: 1, appId: APP_ID, uid: 'alice', token: t, sessionId: null } });
        sockets.push(socket);
        return new Promise<{ code?: number; ready?: true }>((resolve) => {
          socket.once('session:ready', () => resolve({ ready: true }));
          socket.once('connect_error', (err: Error & { data?: { code: number } }) => resolve({ code: err.data?.code ?? -1 }));
        });
      };
      await expect(login(insert(token, 20, '!'))).resolves.toEqual({ code: 5 });
      expect(await server.core.sessions.get(APP_ID, 'alice')).toBeNull();
      await expect(login(token)).resolves.toEqual({ ready: true });
    });
  });
});
