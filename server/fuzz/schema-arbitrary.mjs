// Payloads the protocol's schemas accept, generated from the schemas themselves (zod 4 keeps its
// definition on `schema._zod.def`), so every event the protocol gains is fuzzed without a line
// here. Field names the server looks things up by (channel IDs, peer IDs, attribute keys) draw
// from small pools, so requests meet each other's state (the same channel, the other attacker)
// and the names objects inherit (`__proto__`, `constructor`) instead of random strings that
// never collide.
import fc from 'fast-check';

/** Names every plain object answers to; a store keyed by them in `{}` breaks. */
export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf'];

/**
 * @typedef {{ _zod: { def: any } }} Schema
 * @typedef {{ ids: string[], keys: string[] }} Pools names shared by every payload of a case
 */

/**
 * @param {Schema} schema
 * @returns {{ min: number | null, max: number | null, int: boolean, nonnegative: boolean }}
 */
function boundsOf(schema) {
  const out = { min: /** @type {number | null} */ (null), max: /** @type {number | null} */ (null), int: false, nonnegative: false };
  for (const check of schema._zod.def.checks ?? []) {
    const def = check._zod?.def ?? {};
    if (def.check === 'min_length') out.min = def.minimum;
    else if (def.check === 'max_length') out.max = def.maximum;
    else if (def.check === 'length_equals') out.min = out.max = def.length;
    else if (def.check === 'number_format') out.int = true;
    else if (def.check === 'greater_than' && def.value >= 0) out.nonnegative = true;
  }
  return out;
}

/**
 * A string within `[min, max]` code units: mostly short, sometimes exactly at the bound.
 * @param {number} min
 * @param {number} max
 */
function boundedString(min, max, small = false) {
  const short = fc.string({ minLength: min, maxLength: Math.max(min, Math.min(max, 24)), unit: 'binary' });
  if (small) return short;
  return fc.oneof(
    { weight: 8, arbitrary: short },
    { weight: 1, arbitrary: fc.constant('x'.repeat(max)) },
    { weight: 1, arbitrary: fc.constant('é'.repeat(Math.max(min, Math.floor(max / 2)))) },
  );
}

/**
 * @param {string} name the field this value sits in
 * @param {Pools} pools
 * @returns {fc.Arbitrary<unknown> | null} a pool arbitrary for fields named like identifiers
 */
function pooled(name, pools) {
  if (/^(channelId|channelIds|channels|peerId|peers|calleeId|uid|asCaller|asCallee|callId)$/.test(name)) {
    return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pools.ids) }, { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) });
  }
  if (/^(keys|attributeKey)$/.test(name)) {
    return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pools.keys) }, { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) });
  }
  return null;
}

/**
 * An arbitrary of values the schema accepts, or mostly accepts: refinements (the 32 KB rule, ID
 * rules) are not read, so the fuzzer always asks the schema itself whether a payload is valid.
 * @param {Schema} schema
 * @param {Pools} pools
 * @param {string} [name]
 * @param {boolean} [small] no values at their size bounds (items of an array that is full already)
 * @returns {fc.Arbitrary<unknown>}
 */
export function arbitraryOf(schema, pools, name = '', small = false) {
  const def = schema._zod.def;
  switch (def.type) {
    case 'string': {
      const { min, max } = boundsOf(schema);
      const lo = min ?? 0;
      const hi = max ?? 64;
      const pool = pooled(name, pools);
      const inPool = pool?.filter((v) => typeof v === 'string' && v.length >= lo && v.length <= hi);
      return inPool ? fc.oneof({ weight: 4, arbitrary: inPool }, { weight: 1, arbitrary: boundedString(lo, hi, small) }) : boundedString(lo, hi, small);
    }
    case 'number': {
      const { int, nonnegative } = boundsOf(schema);
      const lo = nonnegative ? 0 : -1_000_000;
      return int
        ? fc.oneof(fc.integer({ min: lo, max: 1_000 }), fc.constantFrom(lo, Number.MAX_SAFE_INTEGER))
        : fc.double({ min: lo, max: 1e6, noNaN: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'literal':
      return fc.constantFrom(...def.values);
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries));
    case 'null':
      return fc.constant(null);
    case 'nullable':
      return fc.option(arbitraryOf(def.innerType, pools, name, small), { nil: null, freq: 4 });
    case 'optional':
      return fc.option(arbitraryOf(def.innerType, pools, name, small), { nil: undefined, freq: 4 });
    case 'array': {
      const { min, max } = boundsOf(schema);
      const hi = max ?? 16;
      const few = fc.array(arbitraryOf(def.element, pools, name, small), { minLength: min ?? 0, maxLength: Math.min(hi, 6) });
      if (small) return few;
      // A full array: the most a request may carry, every item still checked by the core.
      const full = fc.array(arbitraryOf(def.element, pools, name, true), { minLength: hi, maxLength: hi });
      return fc.oneof({ weight: 9, arbitrary: few }, { weight: 1, arbitrary: full });
    }
    case 'tuple': {
      const items = def.items.map((/** @type {Schema} */ item, /** @type {number} */ i) =>
        arbitraryOf(item, pools, i === 0 && name === 'attributes' ? 'attributeKey' : name, small),
      );
      return fc.tuple(...items);
    }
    case 'object': {
      /** @type {Record<string, fc.Arbitrary<unknown>>} */
      const shape = {};
      for (const [key, value] of Object.entries(def.shape)) shape[key] = arbitraryOf(/** @type {Schema} */ (value), pools, key, small);
      return fc.record(shape);
    }
    case 'record':
      return fc.dictionary(fc.constantFrom(...pools.keys), arbitraryOf(def.valueType, pools, name, small), { maxKeys: 4 });
    case 'union':
      return fc.oneof(...def.options.map((/** @type {Schema} */ option) => arbitraryOf(option, pools, name, small)));
    case 'custom':
      // The protocol's only custom schema is binary data (Buffer / Uint8Array).
      if (small) return fc.uint8Array({ maxLength: 16 });
      return fc.oneof(
        { weight: 6, arbitrary: fc.uint8Array({ maxLength: 64 }) },
        { weight: 1, arbitrary: fc.constant(new Uint8Array(32_768)) },
      );
    case 'pipe':
      return arbitraryOf(def.in, pools, name, small);
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return arbitraryOf(def.innerType, pools, name, small);
    case 'never':
      return fc.constant(undefined);
    default:
      return fc.anything({ maxDepth: 2 });
  }
}
