// Values no schema wants, and mutations that put them into valid payloads. Values that JavaScript
// cannot hold or would make expensive to hold (50 000 levels of nesting, 1e400, duplicate keys)
// travel as raw JSON text, written into the frame as is.
import fc from 'fast-check';
import { PROTOTYPE_NAMES } from './schema-arbitrary.mjs';

/** JSON text emitted verbatim into a frame. */
export class RawJson {
  /**
   * @param {string} json
   * @param {string} label what it is, for reports (the text may be 100 KB)
   */
  constructor(json, label) {
    this.json = json;
    this.label = label;
  }
}

/**
 * An object with an own, enumerable property named `key`, even `__proto__`, as JSON.parse makes
 * it on the server.
 * @param {Array<[string, unknown]>} entries
 */
export function ownObject(entries) {
  /** @type {Record<string, unknown>} */
  const object = {};
  for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

/**
 * @param {number} depth
 * @param {'array' | 'object'} shape
 */
function deep(depth, shape) {
  return shape === 'array'
    ? new RawJson('['.repeat(depth) + ']'.repeat(depth), `[…] nested ${depth} deep`)
    : new RawJson('{"a":'.repeat(depth) + '1' + '}'.repeat(depth), `{"a":…} nested ${depth} deep`);
}

/** Values of every JSON type and of no useful one, sized from empty to past the frame cap. */
export const hostileValue = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, -0, 2 ** 53 + 2, 1e308, '', ' ', '\u0000', '\ud800', '\u202e\u0041', 'a\r\nb', '💥'.repeat(40)),
  fc.constantFrom(...PROTOTYPE_NAMES),
  fc.constantFrom([], {}, [null], [[]], [{}], { a: {} }),
  fc.constantFrom(
    ownObject([['__proto__', { polluted: true }]]),
    ownObject([['constructor', { prototype: { polluted: true } }]]),
    ownObject([['toString', 1], ['valueOf', 'x'], ['hasOwnProperty', null]]),
    ownObject([['__proto__', []], ['length', 1e9]]),
  ),
  fc.constantFrom(65, 257, 8_193, 32_769, 131_073).map((n) => 'x'.repeat(n)),
  fc.constantFrom(10, 1_000, 50_000).chain((d) => fc.constantFrom(deep(d, 'array'), deep(Math.min(d, 20_000), 'object'))),
  fc.constantFrom(
    new RawJson('1e400', '1e400'),
    new RawJson('-1e400', '-1e400'),
    new RawJson('123456789012345678901234567890', 'a 30-digit integer'),
    new RawJson('{"a":1,"a":{"b":2}}', 'duplicate keys'),
    new RawJson(`[${'0,'.repeat(20_000)}0]`, '20 001 zeros'),
    new RawJson(`{${Array.from({ length: 5_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`, '5 000 keys'),
    new RawJson('{"_placeholder":true,"num":0}', 'a binary placeholder in a text packet'),
  ),
  fc.constantFrom(0, 1, 131_073).map((n) => new Uint8Array(n)),
);

/**
 * @typedef {(string | number)[]} Path
 * @typedef {{ kind: 'replace', at: number, value: unknown }
 *   | { kind: 'drop', at: number }
 *   | { kind: 'add', at: number, key: string, value: unknown }
 *   | { kind: 'root', value: unknown }
 *   | { kind: 'overfill', at: number }} Mutation
 */

/** @type {fc.Arbitrary<Mutation>} */
export const mutation = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('replace'), at: fc.nat(), value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('drop'), at: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('add'),
      at: fc.nat(),
      key: fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.string({ maxLength: 8 })),
      value: hostileValue,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('root'), value: hostileValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('overfill'), at: fc.nat() }) },
);

/** @param {unknown} v */
function isContainer(v) {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !(v instanceof RawJson);
}

/**
 * Every position inside a payload, root first; at most 256 so full arrays stay cheap.
 * @param {unknown} value
 * @returns {Path[]}
 */
function pathsOf(value) {
  /** @type {Path[]} */
  const out = [[]];
  /** @type {Array<[unknown, Path]>} */
  const stack = [[value, []]];
  while (stack.length > 0 && out.length < 256) {
    const [v, path] = /** @type {[unknown, Path]} */ (stack.shift());
    if (!isContainer(v)) continue;
    const keys = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(/** @type {object} */ (v));
    for (const key of keys) {
      const child = /** @type {any} */ (v)[key];
      out.push([...path, key]);
      stack.push([child, [...path, key]]);
    }
  }
  return out;
}

/**
 * A structural copy that keeps own `__proto__` keys, binary data and raw JSON as they are.
 * @param {unknown} value
 * @returns {unknown}
 */
export function clone(value) {
  if (Array.isArray(value)) return value.map(clone);
  if (!isContainer(value)) return value;
  return ownObject(Object.keys(/** @type {object} */ (value)).map((k) => [k, clone(/** @type {any} */ (value)[k])]));
}

/**
 * @param {unknown} root
 * @param {Path} path
 */
function at(root, path) {
  let v = /** @type {any} */ (root);
  for (const key of path) v = v[key];
  return v;
}

/**
 * @param {any} parent
 * @param {string | number} key
 * @param {unknown} value
 */
function put(parent, key, value) {
  if (Array.isArray(parent)) parent[/** @type {number} */ (key)] = value;
  else Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * The payload with one mutation applied (the input is left as it was).
 * @param {unknown} payload
 * @param {Mutation} m
 * @returns {unknown}
 */
export function mutate(payload, m) {
  if (m.kind === 'root') return m.value;
  const copy = clone(payload);
  const paths = pathsOf(copy);
  const path = /** @type {Path} */ (paths[m.at % paths.length]);
  if (m.kind === 'replace') {
    if (path.length === 0) return m.value;
    put(at(copy, path.slice(0, -1)), /** @type {string | number} */ (path.at(-1)), m.value);
    return copy;
  }
  if (m.kind === 'drop') {
    if (path.length === 0) return undefined;
    const parent = at(copy, path.slice(0, -1));
    const key = /** @type {string | number} */ (path.at(-1));
    if (Array.isArray(parent)) parent.splice(/** @type {number} */ (key), 1);
    else delete parent[key];
    return copy;
  }
  if (m.kind === 'add') {
    // The nearest object at or above the chosen position.
    for (let p = path; ; p = p.slice(0, -1)) {
      const target = at(copy, p);
      if (isContainer(target) && !Array.isArray(target)) {
        put(target, m.key, m.value);
        return copy;
      }
      if (p.length === 0) return ownObject([[m.key, m.value]]);
    }
  }
  // overfill: the nearest array at or above the position, grown far past any bound.
  for (let p = path; ; p = p.slice(0, -1)) {
    const target = at(copy, p);
    if (Array.isArray(target)) {
      const item = target[0] ?? 'x';
      const grown = new RawJson(`[${Array(5_000).fill(JSON.stringify(item instanceof Uint8Array ? 0 : item) ?? 'null').join(',')}]`, '5 000 items');
      if (p.length === 0) return grown;
      put(at(copy, p.slice(0, -1)), /** @type {string | number} */ (p.at(-1)), grown);
      return copy;
    }
    if (p.length === 0) return copy;
  }
}

/**
 * JSON text of a value, with binary data replaced by socket.io attachment placeholders (collected
 * into `binaries`) and raw JSON written as is.
 * @param {unknown} value
 * @param {Uint8Array[]} binaries
 * @returns {string}
 */
export function toJson(value, binaries) {
  if (value instanceof RawJson) return value.json;
  if (value instanceof Uint8Array) {
    binaries.push(value);
    return `{"_placeholder":true,"num":${binaries.length - 1}}`;
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : toJson(v, binaries))).join(',')}]`;
  if (isContainer(value)) {
    const parts = [];
    for (const key of Object.keys(/** @type {object} */ (value))) {
      const v = /** @type {any} */ (value)[key];
      if (v !== undefined) parts.push(`${JSON.stringify(key)}:${toJson(v, binaries)}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A short description of a value for reports: raw JSON by its label, long strings by length.
 * @param {unknown} value
 * @returns {string}
 */
export function describeValue(value) {
  const json = toJson(value, []);
  return json.length > 300 ? `${json.slice(0, 200)}… (${json.length} characters)` : json;
}
