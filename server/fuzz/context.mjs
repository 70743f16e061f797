// What the fuzz properties share: the server child process, the bystanders, the attackers that
// stay logged in across cases (the peer that requests can reach, the session HTTP requests use),
// fresh uids, and the checks every case ends with (still up, nothing logged as an error).
import agoraToken from 'agora-token';
import { MEDIA_HTTP } from '@rtm-kit/protocol';
import { Bystander } from './bystander.mjs';
import { rawExchange } from './http.mjs';
import { APPS, FUZZ_SERVER_OPTIONS, FuzzTarget } from './target.mjs';
import { PACKET, wireLogin } from './wire.mjs';

// agora-token is CommonJS.
const { RtmTokenBuilder } = agoraToken;

/** How long the server has to acknowledge a request or answer a handshake. */
export const ANSWER_TIMEOUT_MS = 3_000;

/** The uid of the attacker that stays logged in, in both apps, for requests to reach. */
export const PEER_UID = 'fz-peer';

/**
 * @param {'tokens' | 'open'} app
 * @param {string} uid
 * @returns {string} the JSON of a correct handshake
 */
export function loginAuth(app, uid) {
  const { appId } = APPS[app];
  const token = app === 'tokens' ? RtmTokenBuilder.buildToken(APPS.tokens.appId, APPS.tokens.appCertificate, uid, 3_600) : null;
  return JSON.stringify({ v: 1, appId, uid, token, sessionId: null });
}

/**
 * Is this an acknowledgement envelope (`{ ok: true, data }` or `{ ok: false, error }` with a
 * numeric code, a name and a message)? Returns what is wrong with it, or null.
 * @param {unknown} args the acknowledgement's arguments
 * @returns {string | null}
 */
export function envelopeProblem(args) {
  if (!Array.isArray(args) || args.length !== 1) return `the acknowledgement carries ${Array.isArray(args) ? args.length : 'no'} arguments instead of one envelope: ${JSON.stringify(args)?.slice(0, 200)}`;
  const res = /** @type {any} */ (args[0]);
  if (res?.ok === true && Object.hasOwn(res, 'data')) return null;
  if (res?.ok === false && wireErrorProblem(res.error) === null) return null;
  return `the acknowledgement is not an envelope: ${JSON.stringify(res)?.slice(0, 200)}`;
}

/**
 * @param {unknown} error
 * @returns {string | null} what is wrong with a wire error, or null
 */
export function wireErrorProblem(error) {
  const e = /** @type {any} */ (error);
  if (typeof e !== 'object' || e === null) return 'no error object';
  if (!Number.isInteger(e.code)) return `code ${JSON.stringify(e.code)} is not an integer`;
  if (typeof e.name !== 'string' || e.name === '') return 'no error name';
  if (typeof e.message !== 'string' || e.message === '') return 'no error message';
  return null;
}

/**
 * The JSON body of a raw HTTP answer, or null.
 * @param {string} response
 * @returns {unknown}
 */
function jsonBody(response) {
  try {
    return JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4));
  } catch {
    return null;
  }
}

export class FuzzContext {
  target;
  /** @type {Bystander | null} */
  bystander = null;
  /** uids that logged in during the run, per app: they must all be offline after it. */
  loggedIn = { tokens: new Set(/** @type {string[]} */ ([])), open: new Set(/** @type {string[]} */ ([])) };
  #uids = 0;
  #runTag;
  /** @type {Map<string, import('./wire.mjs').WireConnection>} */
  #attackers = new Map();
  /** @type {{ appId: string, uid: string, session: string, upload: string } | null} */
  #live = null;

  /** @param {{ tag?: string }} [options] */
  constructor(options = {}) {
    this.target = new FuzzTarget(FUZZ_SERVER_OPTIONS);
    this.#runTag = options.tag ?? Math.random().toString(36).slice(2, 6);
  }

  /** A uid no case has used (login rates count per uid). */
  freshUid() {
    return `fz-${this.#runTag}-${++this.#uids}`;
  }

  /** Starts the server and the bystanders. */
  async start() {
    await this.target.start();
    this.bystander = await Bystander.start(this.target.url);
  }

  /**
   * Makes sure the server is up before a case: after a crash, a fresh child (the bystanders of
   * the old one are gone with it, which the resilience check reports).
   */
  async ready() {
    if (await this.target.revive()) {
      this.#attackers.clear();
      this.#live = null;
    }
  }

  /**
   * The attacker that stays logged in as `PEER_UID` in `app`, so that peer messages, invitations
   * and presence requests of a case reach someone.
   * @param {'tokens' | 'open'} app
   */
  async peer(app) {
    const existing = this.#attackers.get(app);
    if (existing && !existing.closed) {
      existing.packets.length = 0;
      return existing;
    }
    const { conn, ready } = await wireLogin(this.target.url, loginAuth(app, PEER_UID), ANSWER_TIMEOUT_MS);
    if (!ready) {
      conn.destroy();
      return null;
    }
    this.loggedIn[app].add(PEER_UID);
    this.#attackers.set(app, conn);
    return conn;
  }

  /**
   * A live session for media requests, and an upload it started (the upload may have expired by
   * the time a request names it; that is a case too).
   */
  async liveSession() {
    const conn = this.#attackers.get('http');
    if (this.#live && conn && !conn.closed) return this.#live;
    const uid = this.freshUid();
    const login = await wireLogin(this.target.url, loginAuth('open', uid), ANSWER_TIMEOUT_MS);
    const sessionId = /** @type {{ sessionId?: unknown } | null} */ (login.ready)?.sessionId;
    if (typeof sessionId !== 'string') {
      login.conn.destroy();
      throw new Error(`the HTTP fuzzer's session could not log in: ${JSON.stringify(login.answer?.data)}`);
    }
    this.loggedIn.open.add(uid);
    this.#attackers.set('http', login.conn);
    // Written raw with `Connection: close`: a kept-alive connection of the fuzzer's own would
    // still be open in the server when its sockets are counted.
    const H = MEDIA_HTTP.headers;
    const { response } = await rawExchange(
      this.target.port,
      Buffer.from(
        `POST ${MEDIA_HTTP.uploadsPath} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${H.appId}: ${APPS.open.appId}\r\n` +
          `${H.uid}: ${encodeURIComponent(uid)}\r\n${H.session}: ${sessionId}\r\n${H.size}: 64\r\nContent-Length: 0\r\n\r\n`,
      ),
      ANSWER_TIMEOUT_MS,
    );
    const uploadId = /** @type {any} */ (jsonBody(response))?.data?.uploadId;
    this.#live = { appId: APPS.open.appId, uid: encodeURIComponent(uid), session: sessionId, upload: typeof uploadId === 'string' ? uploadId : 'no-upload' };
    return this.#live;
  }

  /** Closes the attackers that stay logged in (the fuzzer's own state on the server goes with them). */
  closeAttackers() {
    for (const conn of this.#attackers.values()) conn.destroy();
    this.#attackers.clear();
    this.#live = null;
  }

  /**
   * What went wrong on the server side during a case: it went down, stopped answering, or logged
   * an error (an exception the edge caught, which a hostile input should never cause).
   * @param {number} errorsBefore `target.errors.length` when the case started
   * @returns {Promise<string[]>}
   */
  async serverProblems(errorsBefore) {
    const problems = [];
    if (!(await this.target.responsive())) problems.push(this.target.alive ? 'the server process stopped answering (event loop blocked for 2 s)' : this.target.describeExit());
    for (const e of this.target.errors.slice(errorsBefore)) {
      problems.push(`the server ${e.message.startsWith('process warning') ? 'emitted a' : 'logged an error:'} ${e.message}${e.detail ? `\n    ${e.detail.split('\n').slice(0, 6).join('\n    ')}` : ''}`);
    }
    return problems;
  }

  async close() {
    this.closeAttackers();
    await this.bystander?.close();
    await this.target.stop();
  }
}

export { PACKET };
