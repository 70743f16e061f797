/**
 * The store's maps from strings that users choose (channel IDs, uids) to entries, as plain
 * objects (so selectors and devtools see ordinary data) without a prototype: `__proto__`,
 * `constructor` or `toString` are ordinary channel IDs and uids, so reading one that is absent
 * must give `undefined`, and writing one must make an entry rather than change a prototype.
 * Every such map is made and copied by these functions; `{}` and `{ ...map, [key]: value }`
 * would bring `Object.prototype` back.
 */
export type Keyed<T> = { [key: string]: T };

/** An empty map. */
export function keyed<T>(): Keyed<T> {
  return Object.create(null) as Keyed<T>;
}

/** A copy of the maps, later ones winning (Object.assign onto a prototype-free target). */
export function merged<T>(...records: ReadonlyArray<Readonly<Keyed<T>>>): Keyed<T> {
  return Object.assign(keyed<T>(), ...records);
}

/** A copy of `record` with `key` set to `value`. */
export function withEntry<T>(record: Readonly<Keyed<T>>, key: string, value: T): Keyed<T> {
  const next = merged(record);
  next[key] = value;
  return next;
}
