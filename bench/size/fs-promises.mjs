/**
 * node:fs/promises plus the part of Node 22's `glob` that size-limit uses with our config:
 * literal paths, and `dir/**` for every file under a directory. Any other pattern is refused
 * rather than matched differently from Node 22.
 */
import fsp from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';

export * from 'node:fs/promises';

export async function* glob(patterns, { cwd = process.cwd(), withFileTypes = false } = {}) {
  for (const pattern of Array.isArray(patterns) ? patterns : [patterns]) {
    const all = pattern.endsWith('/**');
    const path = all ? pattern.slice(0, -3) : pattern;
    if (/[*?[\]{}!]/.test(path)) throw new Error(`this Node has no fs.glob; use literal paths in .size-limit.json (got ${pattern})`);
    const full = isAbsolute(path) ? path : join(cwd, path);
    const stat = await fsp.stat(full).catch(() => null);
    if (!stat) continue;
    if (all && stat.isDirectory()) {
      for (const entry of await fsp.readdir(full, { recursive: true, withFileTypes: true })) {
        const file = join(entry.parentPath ?? entry.path, entry.name);
        yield withFileTypes ? entry : file;
      }
    } else if (!all) {
      yield withFileTypes ? { name: basename(full), parentPath: dirname(full), isFile: () => stat.isFile(), isDirectory: () => stat.isDirectory() } : path;
    }
  }
}

export default { ...fsp, glob };
