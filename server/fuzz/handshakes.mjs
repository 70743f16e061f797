// Property: every CONNECT is answered (a session, or a connect error carrying a code, a name and
// a message); nobody logs in to the tokens app without a valid token for that very uid, and no
// login passes with an auth payload the protocol refuses; a login is followed by its
// `session:ready` and a working connection; one uid never keeps two live connections; the
// server stays up without logging an error.
import fc from 'fast-check';
import { authPayloadSchema } from '@rtm-kit/protocol/schemas';
import { ANSWER_TIMEOUT_MS, wireErrorProblem } from './context.mjs';
import { attempt, authOf, APPS, FRESH_UID } from './handshake.mjs';
import { PACKET, WireConnection } from './wire.mjs';

/** @typedef {import('./handshake.mjs').Attempt} Attempt */

/** CONNECT packets of a flood on one connection: more than Node's default of 10 listeners. */
const FLOOD_HANDSHAKES = 12;

/** @type {fc.Arbitrary<Attempt[]>} */
export const handshakeCase = fc.array(attempt, { minLength: 1, maxLength: 4 });

/**
 * @param {Attempt} a
 * @param {{ json: string }} auth
 */
function connectText(a, auth) {
  if (a.style !== 'broken-json') return auth.json;
  return [auth.json.slice(0, -1), `"${auth.json.length}"`, '[]', 'null', `${auth.json}x`][auth.json.length % 5] ?? '';
}

/** @param {string} json */
function isJsonObject(json) {
  try {
    const value = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * One attempt: connects, waits for the answers, and returns what the server did.
 * @param {import('./context.mjs').FuzzContext} ctx
 * @param {Attempt} a
 * @param {string} uid
 * @param {{ earlierSession: string | null }} memory
 */
async function tryLogin(ctx, a, uid, memory) {
  const auth = authOf(a, { uid, earlierSession: memory.earlierSession });
  const count = a.style === 'storm' ? 4 : 1;
  const conns = await Promise.all(Array.from({ length: count }, () => WireConnection.open(ctx.target.url, ANSWER_TIMEOUT_MS)));
  for (const conn of conns) {
    if (a.style === 'event-first') conn.sendRaw('42["presence:listSubscriptions",{}]');
    conn.connect(connectText(a, auth), a.nsp);
    // A second login on the same connection, pipelined: as the same user, or as another one.
    if (a.style === 'double') conn.connect(auth.json, a.nsp);
    if (a.style === 'double-other') conn.connect(authOf(a, { uid: ctx.freshUid(), earlierSession: null }).json, a.nsp);
    // Far more handshakes than any client makes on one connection.
    if (a.style === 'flood') for (let i = 0; i < FLOOD_HANDSHAKES - 1; i++) conn.connect(auth.json, a.nsp);
  }
  const expected = a.style === 'double' || a.style === 'double-other' ? 2 : a.style === 'flood' ? FLOOD_HANDSHAKES : 1;
  const answersOf = (/** @type {WireConnection} */ conn) =>
    conn.packets.filter((p) => p.nsp === a.nsp && (p.type === PACKET.CONNECT || p.type === PACKET.CONNECT_ERROR));
  await Promise.all(conns.map((conn) => conn.until(() => answersOf(conn).length >= expected, ANSWER_TIMEOUT_MS)));
  return { auth, conns, answersOf };
}

/**
 * @param {import('./context.mjs').FuzzContext} ctx
 * @param {Attempt[]} attempts
 * @param {{ attempts: number, accepted: number, refused: number }} stats
 */
export async function runHandshakeCase(ctx, attempts, stats) {
  await ctx.ready();
  const errorsBefore = ctx.target.errors.length;
  const problems = [];
  const lines = [];
  /** @type {WireConnection[]} */
  const opened = [];
  const memory = { earlierSession: /** @type {string | null} */ (null) };
  for (const [n, a] of attempts.entries()) {
    const uid = a.uid === FRESH_UID ? ctx.freshUid() : a.uid;
    const { auth, conns, answersOf } = await tryLogin(ctx, a, uid, memory);
    opened.push(...conns);
    stats.attempts++;
    const where = `attempt ${n + 1}`;
    lines.push(`  ${n + 1}. ${a.style} CONNECT to ${JSON.stringify(a.nsp)} as ${JSON.stringify(uid)} in the ${a.app} app, token ${a.token}, session ${a.sessionId}: ${auth.json.length > 400 ? `${auth.json.slice(0, 300)}…` : auth.json}`);
    // socket.io takes any JSON object as a CONNECT payload; anything else breaks the packet.
    const wellFormed = a.style === 'single' && isJsonObject(auth.json);
    const schemaOk = authPayloadSchema.safeParse(auth.payload).success;
    const accepted = [];
    for (const conn of conns) {
      const answers = answersOf(conn);
      const sessions = answers.filter((p) => p.type === PACKET.CONNECT).length;
      if (sessions > 1) problems.push(`${where}: one connection was given ${sessions} sessions`);
      if (answers.length === 0 && !conn.closed) problems.push(`${where}: no answer to CONNECT within ${ANSWER_TIMEOUT_MS} ms and the connection stays open`);
      if (answers.length === 0 && conn.closed && wellFormed) problems.push(`${where}: the server closed the connection instead of answering a well-formed CONNECT`);
      for (const answer of answers) {
        if (answer.type === PACKET.CONNECT_ERROR) {
          stats.refused++;
          const data = /** @type {any} */ (answer.data)?.data;
          if (a.nsp === '/' && wireErrorProblem(data) !== null) {
            problems.push(`${where}: the connect error is not { code, name, message } (${wireErrorProblem(data)}): ${JSON.stringify(answer.data).slice(0, 200)}`);
          }
          continue;
        }
        stats.accepted++;
        accepted.push(conn);
        const sent = /** @type {any} */ (auth.payload);
        if (!schemaOk) problems.push(`${where}: a login with an auth payload the protocol refuses was accepted`);
        if (sent?.appId === APPS.tokens.appId && !auth.mayPassTokens) {
          problems.push(`${where}: logged in to the tokens app without a valid token for ${JSON.stringify(sent?.uid)}`);
        }
        if (schemaOk && (sent.appId === APPS.tokens.appId || sent.appId === APPS.open.appId)) {
          ctx.loggedIn[sent.appId === APPS.tokens.appId ? 'tokens' : 'open'].add(sent.uid);
        }
      }
    }
    // A single accepted login: its session is announced and its connection serves requests.
    if (a.style !== 'storm' && accepted.length === 1 && a.nsp === '/') {
      const conn = /** @type {WireConnection} */ (accepted[0]);
      const ready = await conn.waitFor((p) => p.type === PACKET.EVENT && Array.isArray(p.data) && p.data[0] === 'session:ready', ANSWER_TIMEOUT_MS);
      const info = /** @type {any} */ (ready?.data)?.[1];
      if (typeof info?.sessionId !== 'string' && !conn.closed) problems.push(`${where}: a login was accepted but no session:ready followed`);
      if (typeof info?.sessionId === 'string') memory.earlierSession = info.sessionId;
      if (!conn.closed) {
        conn.send({ text: '277["presence:listSubscriptions",{}]', binaries: [] });
        const ack = await conn.waitFor((p) => p.type === PACKET.ACK && p.id === 77, ANSWER_TIMEOUT_MS);
        if (!ack && !conn.closed) problems.push(`${where}: a logged-in connection did not answer a request`);
      }
    }
    if (a.style === 'storm' && accepted.length > 1) {
      // Each newer login ends the older session (REMOTE_LOGIN) and closes its connection.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const live = accepted.filter((conn) => !conn.closed);
      if (live.length > 1) problems.push(`${where}: ${live.length} connections of one uid are still open after simultaneous logins`);
    }
  }
  for (const conn of opened) conn.destroy();
  problems.push(...(await ctx.serverProblems(errorsBefore)));
  if (problems.length > 0) throw new Error(`${problems.join('\n')}\nattempts:\n${lines.join('\n')}`);
}

/**
 * @param {import('./context.mjs').FuzzContext} ctx
 * @param {{ attempts: number, accepted: number, refused: number }} stats
 */
export function handshakeProperty(ctx, stats) {
  return fc.asyncProperty(handshakeCase, (attempts) => runHandshakeCase(ctx, attempts, stats));
}
