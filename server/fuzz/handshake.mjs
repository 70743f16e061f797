// Handshakes: the `auth` payload of the socket.io CONNECT packet (App ID, uid, AccessToken2
// token, session to resume), right and wrong, and the ways a client can send CONNECT packets
// (to other namespaces, twice on one connection, after an event, many at once for one uid).
import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import agoraToken from 'agora-token';
import { authPayloadSchema } from '@rtm-kit/protocol/schemas';
import { arbitraryOf, PROTOTYPE_NAMES } from './schema-arbitrary.mjs';
import { mutate, mutation, toJson } from './hostile.mjs';
import { APPS } from './target.mjs';
import { BYSTANDER_UIDS } from './bystander.mjs';

// agora-token is CommonJS, and exports its token class only from its source file.
const { RtmTokenBuilder } = agoraToken;
const { AccessToken2, ServiceRtm } = createRequire(import.meta.url)('agora-token/src/AccessToken2.js');

/** @typedef {'valid' | 'other-uid' | 'other-app' | 'expired' | 'flipped' | 'truncated' | 'junk-inserted' | 'garbage' | 'bomb' | 'app-id' | 'null' | 'empty' | 'long'} TokenKind */

/**
 * @typedef {{
 *   app: 'tokens' | 'open' | 'unknown' | 'malformed',
 *   uid: string,
 *   token: TokenKind,
 *   sessionId: 'none' | 'earlier' | 'random',
 *   base: Record<string, unknown>,
 *   mutation: import('./hostile.mjs').Mutation | null,
 *   nsp: string,
 *   style: 'single' | 'double' | 'double-other' | 'flood' | 'event-first' | 'broken-json' | 'storm',
 * }} Attempt
 */

/** Stands for a uid nobody has used yet; replaced when the attempt runs. */
export const FRESH_UID = '$fresh';

/** @type {fc.Arbitrary<Attempt>} */
export const attempt = fc.record({
  app: fc.constantFrom('tokens', 'tokens', 'open', 'unknown', 'malformed'),
  uid: fc.oneof(
    { weight: 6, arbitrary: fc.constant(FRESH_UID) },
    { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES, ...BYSTANDER_UIDS) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', 'x'.repeat(65), 'a b', 'ü', 'a\u0000b', 'null') },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  ),
  token: fc.constantFrom('valid', 'valid', 'valid', 'other-uid', 'other-app', 'expired', 'flipped', 'truncated', 'junk-inserted', 'garbage', 'bomb', 'app-id', 'null', 'empty', 'long'),
  sessionId: fc.constantFrom('none', 'none', 'earlier', 'random'),
  base: /** @type {fc.Arbitrary<Record<string, unknown>>} */ (arbitraryOf(/** @type {any} */ (authPayloadSchema), { ids: ['a'], keys: ['k'] })),
  mutation: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: mutation }),
  nsp: fc.oneof({ weight: 12, arbitrary: fc.constant('/') }, { weight: 1, arbitrary: fc.constantFrom('/admin', '/a b', '/__proto__', '/constructor', '/socket.io') }),
  style: fc.constantFrom('single', 'single', 'single', 'single', 'double', 'double-other', 'flood', 'event-first', 'broken-json', 'storm'),
});

/**
 * A token for `uid` of the kind asked for. Only 'valid' verifies for that uid in the tokens app.
 * @param {TokenKind} kind
 * @param {string} uid
 * @returns {string | null}
 */
export function tokenOf(kind, uid) {
  const { appId, appCertificate } = APPS.tokens;
  const good = () => RtmTokenBuilder.buildToken(appId, appCertificate, uid, 3_600);
  switch (kind) {
    case 'valid':
      return good();
    case 'other-uid':
      return RtmTokenBuilder.buildToken(appId, appCertificate, `${uid}x`, 3_600);
    case 'other-app':
      return RtmTokenBuilder.buildToken('f0000000000000000000000000000009', appCertificate, uid, 3_600);
    case 'expired':
      return expired(uid);
    case 'flipped': {
      const t = good();
      const i = 3 + ((uid.length * 7) % (t.length - 4));
      return t.slice(0, i) + (t[i] === 'A' ? 'B' : 'A') + t.slice(i + 1);
    }
    case 'truncated':
      return good().slice(0, 40);
    case 'junk-inserted': {
      const t = good();
      return `${t.slice(0, 20)}!*${t.slice(20)}`;
    }
    case 'garbage':
      return `007${deflateSync(Buffer.from('not a token at all, but deflated like one')).toString('base64')}`;
    case 'bomb':
      // 1 MB of zeros deflates to about 1 KB: the server must refuse it before inflating it whole.
      return `007${deflateSync(Buffer.alloc(1_000_000)).toString('base64')}`;
    case 'app-id':
      return appId;
    case 'null':
      return null;
    case 'empty':
      return '';
    case 'long':
      return `007${'A'.repeat(60_000)}`;
    default:
      return /** @type {never} */ (kind);
  }
}

/**
 * A token issued an hour ago for one minute: well made, signed, and expired.
 * @param {string} uid
 */
function expired(uid) {
  const { appId, appCertificate } = APPS.tokens;
  const token = new AccessToken2(appId, appCertificate, Math.floor(Date.now() / 1_000) - 3_600, 60);
  const rtm = new ServiceRtm(uid);
  rtm.add_privilege(ServiceRtm.kPrivilegeLogin, 60);
  token.add_service(rtm);
  return token.build();
}

/**
 * The auth JSON of an attempt, and what the fuzzer knows about it.
 * @param {Attempt} a
 * @param {{ uid: string, earlierSession: string | null }} at run time: the uid for FRESH_UID and a
 *   session this scenario opened before
 */
export function authOf(a, { uid, earlierSession }) {
  const appId = a.app === 'tokens' ? APPS.tokens.appId : a.app === 'open' ? APPS.open.appId : a.app === 'unknown' ? 'f00000000000000000000000000000ff' : 'not-an-app-id';
  // The fuzzer impersonates anyone but the bystanders, whose sessions must outlive the attack.
  const kind = a.token === 'valid' && BYSTANDER_UIDS.includes(uid) ? 'other-uid' : a.token;
  const token = tokenOf(kind, uid);
  const sessionId = a.sessionId === 'none' ? null : a.sessionId === 'earlier' ? earlierSession : '00000000-0000-4000-8000-000000000000';
  const clean = { ...a.base, v: 1, appId, uid, token, sessionId };
  const payload = a.mutation ? mutate(clean, a.mutation) : clean;
  const sent = /** @type {Record<string, unknown> | null} */ (typeof payload === 'object' && payload !== null ? payload : null);
  return {
    json: toJson(payload, []),
    payload,
    /** Whether this login may succeed in the tokens app: it carries a valid token made for its uid. */
    mayPassTokens: kind === 'valid' && sent?.['token'] === token && sent?.['uid'] === uid,
    appId,
  };
}

/** The App IDs a CONNECT can name. */
export { APPS };
