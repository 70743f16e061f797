// Property: whatever an authenticated client sends, the server answers every request that asks
// for an answer, with an acknowledgement envelope; refuses every payload its schema refuses with
// the operation's invalid-argument code; keeps the connection working unless the client broke
// the socket.io protocol itself; and stays up without logging an error.
import fc from 'fast-check';
import { REQUEST_ERRORS } from '@rtm-kit/protocol';
import { clientEventSchemas } from '@rtm-kit/protocol/schemas';
import { ANSWER_TIMEOUT_MS, envelopeProblem, loginAuth, PEER_UID } from './context.mjs';
import { argsSeenByServer, buildFrame, describeFrame, frameSpec } from './frames.mjs';
import { PROTOTYPE_NAMES } from './schema-arbitrary.mjs';
import { PACKET, wireLogin } from './wire.mjs';
import { BYSTANDER_UIDS } from './bystander.mjs';

/** Names requests use for channels, peers and attribute keys ("$self" is the sender). */
const POOLS = {
  ids: ['lobby', 'room-1', PEER_UID, '$self', ...BYSTANDER_UIDS, 'nobody', 'a', 'x'.repeat(64), '__proto__', 'constructor'],
  keys: ['topic', 'name', 'k', ...PROTOTYPE_NAMES.slice(0, 3)],
};

/** The ack id of the request that checks, after a case's frames, that the connection still works. */
const CANARY_ID = 999_999;

/**
 * @typedef {{ app: 'tokens' | 'open', frames: import('./frames.mjs').FrameSpec[], pipelined: boolean }} RequestCase
 */

/** @type {fc.Arbitrary<RequestCase>} */
export const requestCase = fc.record({
  app: fc.constantFrom('tokens', 'open'),
  frames: fc.array(frameSpec(POOLS), { minLength: 1, maxLength: 10 }),
  pipelined: fc.boolean(),
});

/**
 * Answers that must name what their request named, whatever the names are (`__proto__` too): the
 * envelope alone cannot tell a count that went missing into an object's prototype.
 * @type {Record<string, (payload: any, data: any) => string | null>}
 */
const ANSWER_NAMES = {
  'channel:getMemberCount': (payload, data) => {
    const missing = payload.channelIds.filter(
      (/** @type {string} */ id) => !Object.hasOwn(data?.counts ?? {}, id) || !Number.isInteger(data.counts[id]) || data.counts[id] < 0,
    );
    return missing.length > 0 ? `the member counts lack ${JSON.stringify(missing.slice(0, 5))}: ${JSON.stringify(data).slice(0, 200)}` : null;
  },
  'presence:query': (payload, data) => {
    const answered = new Set(Array.isArray(data?.online) ? data.online.map((/** @type {unknown[]} */ entry) => entry?.[0]) : []);
    const missing = payload.peers.filter((/** @type {string} */ peer) => !answered.has(peer));
    return missing.length > 0 ? `the online statuses lack ${JSON.stringify(missing.slice(0, 5))}: ${JSON.stringify(data).slice(0, 200)}` : null;
  },
};

/**
 * What is wrong with the answer to one frame, or null.
 * @param {import('./frames.mjs').BuiltFrame} frame
 * @param {unknown} ackData the acknowledgement's arguments
 * @returns {string | null}
 */
function answerProblem(frame, ackData) {
  const shape = envelopeProblem(ackData);
  if (shape) return shape;
  const res = /** @type {any} */ (ackData)[0];
  const args = argsSeenByServer(frame);
  if (!args) return null;
  const [event] = args;
  const schema = typeof event === 'string' && Object.hasOwn(clientEventSchemas, event) ? /** @type {any} */ (clientEventSchemas)[event] : null;
  if (!schema) return res.ok ? `an unknown event ${JSON.stringify(event)} was answered ok: ${JSON.stringify(res).slice(0, 200)}` : null;
  // Extra arguments: the protocol does not say whether they are ignored or refused.
  if (args.length > 2) return null;
  if (args.length === 2 && schema.safeParse(args[1]).success) {
    return res.ok ? (ANSWER_NAMES[/** @type {string} */ (event)]?.(args[1], res.data) ?? null) : null;
  }
  if (res.ok) return `a payload the schema refuses was accepted: ${JSON.stringify(res).slice(0, 200)}`;
  const codes = /** @type {any} */ (REQUEST_ERRORS)[event];
  if (codes && res.error.name !== codes.invalid && res.error.name !== codes.notLoggedIn) {
    return `a payload the schema refuses was answered ${res.error.name}, not ${codes.invalid}`;
  }
  return null;
}

/**
 * Runs one case against the server; throws with a report when a rule is broken.
 * @param {import('./context.mjs').FuzzContext} ctx
 * @param {RequestCase} c
 * @param {{ frames: number, acks: number, closes: number }} stats
 */
export async function runRequestCase(ctx, c, stats) {
  await ctx.ready();
  const errorsBefore = ctx.target.errors.length;
  await ctx.peer(c.app);
  const uid = ctx.freshUid();
  const login = await wireLogin(ctx.target.url, loginAuth(c.app, uid), ANSWER_TIMEOUT_MS);
  const problems = [];
  const frames = c.frames.map((spec, i) => buildFrame(spec, i + 1, uid));
  const conn = login.conn;
  if (!login.ready) {
    problems.push(`a correct login was not answered with a session: ${JSON.stringify(login.answer?.data)?.slice(0, 300) ?? 'no answer'}`);
  } else {
    ctx.loggedIn[c.app].add(uid);
    const mayClose = frames.some((f) => f.duty === 'may-close');
    let firstBreaking = frames.findIndex((f) => f.duty === 'may-close');
    if (firstBreaking === -1) firstBreaking = frames.length;
    let sent = 0;
    for (const [i, frame] of frames.entries()) {
      if (conn.closed) break;
      if (frame.engine) conn.sendRaw(frame.text);
      else conn.send(frame);
      sent++;
      stats.frames++;
      if (!c.pipelined && frame.id !== null) {
        const id = frame.id;
        await conn.waitFor((p) => (p.type === PACKET.ACK || p.type === PACKET.BINARY_ACK) && p.id === id, ANSWER_TIMEOUT_MS);
        // Sent one at a time, a request before any protocol-breaking frame must have its answer.
        if (!conn.ackOf(id) && i < firstBreaking) break;
      }
    }
    const owed = frames.slice(0, sent).filter((f) => f.id !== null && f.duty === 'ack');
    await conn.until(() => owed.every((f) => conn.ackOf(/** @type {number} */ (f.id))), ANSWER_TIMEOUT_MS);
    let canary = null;
    if (!conn.closed && !mayClose) {
      conn.send({ text: `2${CANARY_ID}["presence:listSubscriptions",{}]`, binaries: [] });
      canary = await conn.waitFor((p) => p.type === PACKET.ACK && p.id === CANARY_ID, ANSWER_TIMEOUT_MS);
    }
    if (conn.closed) stats.closes++;
    // Closed without cause: that is the finding, and the acknowledgements it cut off are not.
    const closedWithoutCause = conn.closed && !mayClose;
    if (closedWithoutCause) {
      problems.push(`the server closed the connection (${conn.closedBy?.code} ${conn.closedBy?.reason}) although every frame was well-formed socket.io`);
    }
    for (const [i, frame] of frames.slice(0, sent).entries()) {
      if (frame.id === null) continue;
      const ack = conn.ackOf(frame.id);
      if (!ack) {
        const required = !closedWithoutCause && frame.duty === 'ack' && (!mayClose || (!c.pipelined && i < firstBreaking));
        if (required) problems.push(`no acknowledgement within ${ANSWER_TIMEOUT_MS} ms for frame ${i + 1}: ${describeFrame(frame)}`);
        continue;
      }
      stats.acks++;
      const problem = answerProblem(frame, ack.data);
      if (problem) problems.push(`frame ${i + 1} (${describeFrame(frame)}): ${problem}`);
    }
    if (!conn.closed && !mayClose && !canary) {
      problems.push('the connection stopped answering: a correct request sent after the frames got no acknowledgement');
    }
  }
  conn.destroy();
  problems.push(...(await ctx.serverProblems(errorsBefore)));
  if (problems.length > 0) {
    const list = frames.map((f, i) => `  ${i + 1}. ${describeFrame(f)}`).join('\n');
    throw new Error(`${problems.join('\n')}\n${c.pipelined ? 'pipelined' : 'one at a time'}, as a user of the ${c.app} app:\n${list}`);
  }
}

/**
 * @param {import('./context.mjs').FuzzContext} ctx
 * @param {{ frames: number, acks: number, closes: number }} stats
 */
export function requestProperty(ctx, stats) {
  return fc.asyncProperty(requestCase, (c) => runRequestCase(ctx, c, stats));
}
