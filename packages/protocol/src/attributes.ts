import { utf8ByteLength } from './identifiers.js';
import type { Limits } from './limits.js';

/**
 * User and channel attribute rules (spec §2.4, §2.5, §10.3), shared by the client's early checks
 * and the server's enforcement so both answer the same input with the same code.
 *
 * Which code for which rule (the spec names both codes but not the mapping, §10.3): anything
 * about the *shape* of the input is `INVALID_ARGUMENT` (not a map, an empty map, a key that is
 * not 1–32 bytes of visible characters, a reserved key, a value that is not a non-empty string,
 * a key list that is not 1–32 keys); anything about *how much* is `SIZE_OVERFLOW` (more than 32
 * pairs in one call, a value over 8 KB, a call or a stored set over its byte budget, a channel
 * over 32 attributes). This follows the Web runtime's validator, which raises its
 * `RtmLimitExceededError` only for counts and sizes.
 */

/** A key/value pair as attributes travel on the wire: arrays, so no key can touch a prototype. */
export type AttributeEntry = readonly [key: string, value: string];

export type AttributeProblemCode = 'INVALID_ARGUMENT' | 'SIZE_OVERFLOW';

export interface AttributeProblem {
  readonly code: AttributeProblemCode;
  readonly message: string;
}

/** The caps one kind of attribute (user or channel) is checked against. */
export interface AttributeCaps {
  readonly keyMaxBytes: number;
  readonly valueMaxBytes: number;
  /** Pairs in one call. */
  readonly perCall: number;
  /** Keys in one `…ByKeys` call. */
  readonly keysPerCall: number;
  /** Keys plus values of one call, and of the whole stored set. */
  readonly totalMaxBytes: number;
  /** Attributes in the whole stored set (channels only). */
  readonly storedMax: number;
}

/** User attributes: ≤ 16 KB per user (§10.3); no count limit on the stored set. */
export function userAttributeCaps(limits: Limits): AttributeCaps {
  return {
    keyMaxBytes: limits.attributeKeyMaxBytes,
    valueMaxBytes: limits.attributeValueMaxBytes,
    perCall: limits.attributesPerCall,
    keysPerCall: limits.attributeKeysPerQuery,
    totalMaxBytes: limits.userAttributesMaxBytes,
    storedMax: Number.POSITIVE_INFINITY,
  };
}

/** Channel attributes: ≤ 32 KB and ≤ 32 attributes per channel (§10.3, seed 1.1.0). */
export function channelAttributeCaps(limits: Limits): AttributeCaps {
  return {
    keyMaxBytes: limits.attributeKeyMaxBytes,
    valueMaxBytes: limits.attributeValueMaxBytes,
    perCall: limits.attributesPerCall,
    keysPerCall: limits.attributeKeysPerQuery,
    totalMaxBytes: limits.channelAttributesMaxBytes,
    storedMax: limits.channelAttributesMax,
  };
}

/**
 * Keys that would reach `Object.prototype` when an app turns a result back into an object with
 * bracket assignment, or that shadow what every object has. Refused everywhere.
 */
export const RESERVED_ATTRIBUTE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * "Visible characters" (§10.1, native docs): no control, format, surrogate, private-use or
 * separator code points, so no spaces, tabs, newlines or zero-width characters. Letters of any
 * script are visible and allowed. Unassigned code points are not checked, so a browser and a
 * server on different Unicode versions agree.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Z}]/u;

function invalid(message: string): AttributeProblem {
  return { code: 'INVALID_ARGUMENT', message };
}

function overflow(message: string): AttributeProblem {
  return { code: 'SIZE_OVERFLOW', message };
}

/** Why `key` is not a valid attribute key, or null. */
export function attributeKeyProblem(key: unknown, caps: Pick<AttributeCaps, 'keyMaxBytes'>): AttributeProblem | null {
  if (typeof key !== 'string') return invalid('An attribute key must be a string.');
  if (key.length === 0) return invalid('An attribute key must not be empty.');
  if (RESERVED_ATTRIBUTE_KEYS.has(key)) return invalid(`"${key}" cannot be used as an attribute key.`);
  if (INVISIBLE.test(key)) return invalid('An attribute key must consist of visible characters only.');
  if (utf8ByteLength(key) > caps.keyMaxBytes) {
    return invalid(`An attribute key must be at most ${caps.keyMaxBytes} bytes (UTF-8).`);
  }
  return null;
}

/** Keys plus values in UTF-8 bytes: the unit of the 16 KB and 32 KB budgets. */
export function attributesByteSize(entries: Iterable<AttributeEntry>): number {
  let total = 0;
  for (const [key, value] of entries) total += utf8ByteLength(key) + utf8ByteLength(value);
  return total;
}

/**
 * Checks the pairs of one set or add-or-update call: 1 to `perCall` pairs with distinct valid
 * keys and non-empty string values of at most `valueMaxBytes`, together at most `totalMaxBytes`.
 */
export function attributeEntriesProblem(entries: readonly AttributeEntry[], caps: AttributeCaps): AttributeProblem | null {
  if (entries.length === 0) return invalid('At least one attribute is required.');
  if (entries.length > caps.perCall) return overflow(`At most ${caps.perCall} attributes per call.`);
  const seen = new Set<string>();
  for (const entry of entries) {
    const [key, value] = entry;
    const keyProblem = attributeKeyProblem(key, caps);
    if (keyProblem) return keyProblem;
    if (seen.has(key)) return invalid(`The attribute key "${key}" appears twice.`);
    seen.add(key);
    if (typeof value !== 'string') return invalid(`The value of "${key}" must be a string.`);
    if (value.length === 0) return invalid(`The value of "${key}" must not be empty.`);
    if (utf8ByteLength(value) > caps.valueMaxBytes) {
      return overflow(`The value of "${key}" is over ${caps.valueMaxBytes} bytes (UTF-8).`);
    }
  }
  if (attributesByteSize(entries) > caps.totalMaxBytes) {
    return overflow(`The attributes of one call must total at most ${caps.totalMaxBytes} bytes (keys and values, UTF-8).`);
  }
  return null;
}

/**
 * Checks a stored set as it would be after a write: at most `storedMax` attributes and
 * `totalMaxBytes` bytes. Add-or-update checks the merged set (§10.3, runtime R151 L32093).
 */
export function storedAttributesProblem(entries: Iterable<AttributeEntry>, caps: AttributeCaps): AttributeProblem | null {
  let count = 0;
  let bytes = 0;
  for (const [key, value] of entries) {
    count++;
    bytes += utf8ByteLength(key) + utf8ByteLength(value);
  }
  if (count > caps.storedMax) return overflow(`At most ${caps.storedMax} attributes can be stored.`);
  if (bytes > caps.totalMaxBytes) return overflow(`The stored attributes would total more than ${caps.totalMaxBytes} bytes.`);
  return null;
}

/**
 * Checks the keys of a delete-by-keys or get-by-keys call: an array of 1 to `keysPerCall` valid
 * keys (runtime R151 L2988). Duplicates are allowed and mean the same key once.
 */
export function attributeKeysProblem(keys: unknown, caps: Pick<AttributeCaps, 'keyMaxBytes' | 'keysPerCall'>): AttributeProblem | null {
  if (!Array.isArray(keys)) return invalid('The attribute keys must be an array of strings.');
  if (keys.length === 0) return invalid('At least one attribute key is required.');
  if (keys.length > caps.keysPerCall) return invalid(`At most ${caps.keysPerCall} attribute keys per call.`);
  for (const key of keys) {
    const problem = attributeKeyProblem(key, caps);
    if (problem) return problem;
  }
  return null;
}

/**
 * Turns an app's `AttributesMap` into wire entries, or says why it is not one. Only own
 * enumerable string keys count; a value that is not a string is refused rather than converted.
 */
export function attributesMapEntries(map: unknown): AttributeEntry[] | AttributeProblem {
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    return invalid('The attributes must be an object of string keys and string values.');
  }
  const entries: AttributeEntry[] = [];
  for (const key of Object.keys(map)) {
    const value = (map as Record<string, unknown>)[key];
    if (typeof value !== 'string') return invalid(`The value of "${key}" must be a string.`);
    entries.push([key, value]);
  }
  return entries;
}
