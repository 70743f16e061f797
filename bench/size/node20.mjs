/**
 * Lets size-limit 14 run on Node 20 (`node --import ./node20.mjs`): `Array.fromAsync`, and a
 * node:fs/promises that also has `glob` (./fs-promises.mjs) for every module but that one.
 */
import { register } from 'node:module';

Array.fromAsync ??= async (items, map) => {
  const out = [];
  for await (const item of items) out.push(map ? await map(item, out.length) : item);
  return out;
};

const shim = new URL('./fs-promises.mjs', import.meta.url).href;
const hooks = `
  const shim = ${JSON.stringify(shim)};
  export async function resolve(specifier, context, next) {
    if ((specifier === 'node:fs/promises' || specifier === 'fs/promises') && context.parentURL !== shim) {
      return { url: shim, shortCircuit: true };
    }
    return next(specifier, context);
  }
`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
