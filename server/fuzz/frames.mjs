// socket.io frames an authenticated client can send: the protocol's requests with valid and
// mutated payloads, and everything around them that a hostile client controls (unknown events,
// missing or extra arguments, missing acknowledgements, binary attachments right and wrong,
// packets the parser refuses).
import fc from 'fast-check';
import { clientEventSchemas } from '@rtm-kit/protocol/schemas';
import { arbitraryOf, PROTOTYPE_NAMES } from './schema-arbitrary.mjs';
import { describeValue, hostileValue, mutate, mutation, RawJson, toJson } from './hostile.mjs';

/** Every request event of the protocol. */
export const EVENTS = Object.keys(clientEventSchemas);

/**
 * What a frame obliges the server to do.
 * - `ack`: answer the request (its id) with an acknowledgement envelope.
 * - `none`: nothing to answer (no id), but the connection must go on working.
 * - `may-close`: the frame breaks the socket.io protocol (or ends the session); the server may
 *   close the connection instead of answering, and nothing sent with it can be required.
 * @typedef {'ack' | 'none' | 'may-close'} Duty
 *
 * @typedef {{
 *   kind: string,
 *   event: unknown,
 *   args: unknown[],
 *   ack: boolean,
 *   attachments?: 'exact' | 'short' | 'extra' | 'out-of-range',
 *   text?: string,
 * }} FrameSpec a frame before it has an id
 *
 * @typedef {{ text: string, binaries: Uint8Array[], id: number | null, duty: Duty, spec: FrameSpec,
 *   engine: boolean }} BuiltFrame `engine`: the text is an engine.io packet, not a socket.io one
 */

/**
 * @param {import('./schema-arbitrary.mjs').Pools} pools
 * @returns {fc.Arbitrary<FrameSpec>}
 */
export function frameSpec(pools) {
  const valid = fc.constantFrom(...EVENTS).chain((event) =>
    arbitraryOf(/** @type {any} */ (clientEventSchemas)[event], pools).map((payload) => ({ event, payload })),
  );
  const request = fc.record({ call: valid, mutation: fc.option(mutation, { freq: 2 }) }).map(({ call, mutation: m }) => ({
    kind: m ? `mutated (${m.kind})` : 'request',
    event: call.event,
    args: [m ? mutate(call.payload, m) : call.payload],
    ack: true,
  }));
  const noAck = valid.map(({ event, payload }) => ({ kind: 'without ack', event, args: [payload], ack: false }));
  const unknownEvent = fc
    .record({
      event: fc.oneof(
        fc.constantFrom(...PROTOTYPE_NAMES, 'session:ready', 'peer:Send', 'peer:send ', 'PEER:SEND', 'media:upload', '', ':', 'x'.repeat(10_000)),
        fc.string({ maxLength: 20 }),
        fc.integer(),
      ),
      payload: fc.oneof(hostileValue, fc.constant({})),
    })
    .map(({ event, payload }) => ({ kind: 'unknown event', event, args: [payload], ack: true }));
  const bare = fc.constantFrom(...EVENTS).map((event) => ({ kind: 'no payload', event, args: [], ack: true }));
  const extra = fc
    .record({ call: valid, extras: fc.array(hostileValue, { minLength: 1, maxLength: 3 }) })
    .map(({ call, extras }) => ({ kind: 'extra arguments', event: call.event, args: [call.payload, ...extras], ack: true }));
  const binary = fc
    .record({
      call: valid,
      where: fc.nat(),
      size: fc.constantFrom(0, 1, 64, 131_073),
      attachments: fc.constantFrom('exact', 'exact', 'short', 'extra', 'out-of-range'),
    })
    .map(({ call, where, size, attachments }) => ({
      kind: `binary (${attachments})`,
      event: call.event,
      // Binary data where the schema wants it (a RAW message), or anywhere else.
      args: [
        where % 2 === 0 && holdsBinary(call.payload)
          ? call.payload
          : mutate(call.payload, { kind: 'replace', at: where, value: new Uint8Array(size) }),
      ],
      ack: true,
      attachments,
    }));
  const malformed = fc
    .oneof(
      fc.constantFrom('2', '2[', '2{}', '2"peer:send"', '2[null]', '2[{}]', '2["connect"]', '2["disconnect",{}]', '2["newListener"]', '9[]', '7'),
      fc.constantFrom('50-["x"]', '511-["x"]', '5x-["x"]', '51-["x"]', '1', '3[]', '399[{"ok":true}]', '0{}', '4{}'),
      fc.string({ maxLength: 40 }).map((s) => `2${s}`),
      fc.string({ maxLength: 40 }),
    )
    .map((text) => ({ kind: 'malformed packet', event: null, args: [], ack: false, text }));
  const engine = fc
    .constantFrom('', '1', '5', '6', 'x', '2probe', '3', '4')
    .map((text) => ({ kind: 'engine.io packet', event: null, args: [], ack: false, text: `!${text}` }));
  return fc.oneof(
    { weight: 30, arbitrary: request },
    { weight: 4, arbitrary: noAck },
    { weight: 5, arbitrary: unknownEvent },
    { weight: 3, arbitrary: bare },
    { weight: 3, arbitrary: extra },
    { weight: 4, arbitrary: binary },
    { weight: 2, arbitrary: malformed },
    { weight: 1, arbitrary: engine },
  );
}

/** Frames larger than this may be refused by the transport (the server's `maxHttpBufferSize`). */
export const OVERSIZE_BYTES = 200_000;

/**
 * Writes a frame spec as socket.io would (or as it never would), with `id` as its ack id.
 * @param {FrameSpec} spec
 * @param {number} id
 * @param {string} self the sender's uid, replacing "$self" in payloads
 * @returns {BuiltFrame}
 */
export function buildFrame(spec, id, self) {
  if (spec.text !== undefined) {
    // '!' marks an engine.io packet outside socket.io; anything else is a socket.io packet.
    const text = spec.text.startsWith('!') ? spec.text.slice(1) : spec.text;
    return { text, binaries: [], id: null, duty: 'may-close', spec, engine: spec.text.startsWith('!') };
  }
  /** @type {Uint8Array[]} */
  const binaries = [];
  const json = toJson([spec.event, ...spec.args], binaries).replaceAll('"$self"', JSON.stringify(self));
  let duty = /** @type {Duty} */ (spec.ack ? 'ack' : 'none');
  let sent = binaries;
  const declared = binaries.length;
  let body = json;
  if (binaries.length > 0) {
    if (spec.attachments === 'short') sent = binaries.slice(1);
    else if (spec.attachments === 'extra') sent = [...binaries, new Uint8Array(1)];
    else if (spec.attachments === 'out-of-range') body = json.replace(/"num":\d+/, '"num":99');
    if (spec.attachments !== 'exact') duty = 'may-close';
  }
  const ackId = spec.ack ? String(id) : '';
  const text = declared > 0 ? `5${declared}-${ackId}${body}` : `2${ackId}${body}`;
  // A logout ends the session and closes the connection once it is answered.
  if (spec.event === 'session:logout') duty = 'may-close';
  if (Buffer.byteLength(text) + sent.reduce((n, b) => n + b.byteLength, 0) > OVERSIZE_BYTES) duty = 'may-close';
  return { text, binaries: sent, id: spec.ack ? id : null, duty, spec, engine: false };
}

/** @param {unknown} v */
function holdsBinary(v) {
  if (v instanceof Uint8Array) return true;
  if (typeof v !== 'object' || v === null) return false;
  return Object.values(v).some(holdsBinary);
}

/**
 * The arguments the server's handler sees for a frame: the JSON read back, with attachments put
 * where their placeholders are (as socket.io does), or null when the frame is no event.
 * @param {BuiltFrame} frame
 * @returns {unknown[] | null}
 */
export function argsSeenByServer(frame) {
  if (frame.spec.text !== undefined) return null;
  const start = frame.text.indexOf('[');
  let parsed;
  try {
    parsed = JSON.parse(frame.text.slice(start));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  const binaries = frame.binaries;
  /** @param {unknown} v @param {number} depth @returns {unknown} */
  const place = (v, depth) => {
    if (depth > 200 || typeof v !== 'object' || v === null) return v;
    const o = /** @type {any} */ (v);
    if (o._placeholder === true && typeof o.num === 'number' && o.num >= 0 && o.num < binaries.length) return binaries[o.num];
    if (Array.isArray(o)) return o.map((x) => place(x, depth + 1));
    for (const k of Object.keys(o)) o[k] = place(o[k], depth + 1);
    return o;
  };
  return binaries.length > 0 ? /** @type {unknown[]} */ (place(parsed, 0)) : parsed;
}

/**
 * One line describing a frame for a report.
 * @param {BuiltFrame} frame
 */
export function describeFrame(frame) {
  const { spec } = frame;
  if (spec.text !== undefined) return `${spec.kind}: ${JSON.stringify(frame.text)}`;
  const args = spec.args.map(describeValue).join(', ');
  const attach = frame.binaries.length > 0 ? ` + ${frame.binaries.length} binary frame(s) of ${frame.binaries.map((b) => b.byteLength).join('/')} bytes` : '';
  return `${spec.kind}: ${typeof spec.event === 'string' ? JSON.stringify(spec.event.length > 60 ? `${spec.event.slice(0, 40)}…` : spec.event) : String(spec.event)}(${args})${spec.ack ? ` with ack ${frame.id}` : ' without ack'}${attach}`;
}

export { RawJson };
