import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import type { AppConfig, TokenCheck, TokenVerifier } from '../core/auth.js';

// The parser hands strings back as Buffers.
type ParsedString = string | Uint8Array;

interface ParsedService {
  service_type(): number;
  __user_id?: ParsedString;
  __privileges: Record<string, number>;
}

interface AccessToken2Instance {
  appId: ParsedString;
  issueTs: number;
  expire: number;
  from_string(token: string): boolean;
  verifySignature(appCertificate: string): boolean;
  getServices(type: number): ParsedService[];
}

// agora-token does not export its parser from the package root; the module is stable CommonJS.
const require = createRequire(import.meta.url);
const { AccessToken2, kRtmServiceType, ServiceRtm } = require('agora-token/src/AccessToken2.js') as {
  AccessToken2: new () => AccessToken2Instance;
  kRtmServiceType: number;
  ServiceRtm: { kPrivilegeLogin: number };
};

const MAX_TOKEN_LIFETIME_S = 24 * 3600;

/** The decompressed body of a real RTM token is about 200 bytes; refuse to inflate past this. */
const MAX_INFLATED_BYTES = 16 * 1024;

/** Deflate's densest code: 258 bytes out for every 2 bits in, at most about 1032 bytes per byte. */
const DEFLATE_MAX_RATIO = 1032;

/**
 * `agora-token` inflates a token without a bound. A body of this many bytes or fewer (a real RTM
 * token's is about 115) inflates to 256 KB at the very most, what any client may send in one
 * packet anyway, so it goes to the parser as it is; a longer one is first inflated here with a
 * bound and refused past it. One inflate per real login instead of two: the inflate, with the
 * stream object Node builds for it, is a good part of what a login costs.
 */
const UNBOUNDED_INFLATE_MAX_BYTES = Math.floor((256 * 1024) / DEFLATE_MAX_RATIO);

/**
 * Verifies AccessToken2 ("007") tokens made by `RtmTokenBuilder.buildToken` with the official
 * `agora-token` package: App ID, signature, the RTM service's user ID and the login privilege.
 * A token is valid until issue time + the shorter of its own lifetime and the login privilege's,
 * and never longer than 24 hours.
 */
export const accessToken2Verifier: TokenVerifier = {
  verify(app: AppConfig, uid: string, token: string, now: number): TokenCheck {
    if (app.appCertificate === undefined) return { ok: true, expiresAt: null };
    if (!token.startsWith('007')) return invalid('The token is not an AccessToken2 token.');
    const body = canonicalBase64(token.slice(3));
    if (body === null) return invalid('The token is not in the canonical AccessToken2 encoding.');
    if (body.length > UNBOUNDED_INFLATE_MAX_BYTES && !inflatesWithinBound(body)) return invalid('The token is not an AccessToken2 token.');
    const parsed = new AccessToken2();
    if (!parsed.from_string(token)) return invalid('The token could not be decoded.');
    if (text(parsed.appId) !== app.appId) return invalid('The token was made for another App ID.');
    if (!parsed.verifySignature(app.appCertificate)) return invalid('The token signature does not match.');
    const rtm = parsed.getServices(kRtmServiceType).find((s) => s.__user_id !== undefined && text(s.__user_id) === uid);
    if (!rtm) return invalid('The token was not made for this uid.');
    const loginPrivilege = rtm.__privileges[String(ServiceRtm.kPrivilegeLogin)];
    if (loginPrivilege === undefined) return invalid('The token grants no RTM login privilege.');
    // AccessToken2 lifetimes are at most 24 hours (seed 000, 1.4.6); a longer one is cut there.
    const lifetime = Math.min(parsed.expire, loginPrivilege, MAX_TOKEN_LIFETIME_S);
    const expiresAt = (parsed.issueTs + lifetime) * 1000;
    if (expiresAt <= now) return { ok: false, reason: 'expired', message: 'The token has expired.' };
    return { ok: true, expiresAt };
  },
};

function text(value: ParsedString): string {
  return typeof value === 'string' ? value : Buffer.from(value).toString('utf8');
}

function invalid(message: string): TokenCheck {
  return { ok: false, reason: 'invalid', message };
}

/**
 * The bytes of `text` if it is exactly what `agora-token` writes (standard base64 alphabet, with
 * padding), else null. Node's decoder skips characters outside the alphabet and accepts the URL
 * alphabet and missing padding, so without this check one token would have countless spellings
 * that all verify: a token with junk inserted would pass, and any cache, log or deny-list keyed by
 * the token string would be bypassed. Encoding the bytes again and comparing is the strictest
 * test: it also refuses non-zero padding bits.
 */
function canonicalBase64(text: string): Buffer | null {
  if (text.length === 0 || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

/** Guard against a small token that inflates to a huge buffer inside the parser. */
function inflatesWithinBound(bytes: Buffer): boolean {
  try {
    inflateSync(bytes, { maxOutputLength: MAX_INFLATED_BYTES });
    return true;
  } catch {
    return false;
  }
}
