#!/usr/bin/env node
/**
 * `npm run size`: size-limit with the limits in .size-limit.json, arguments passed on
 * (`npm run size -- --json`). size-limit 14 needs Node 22.19 or newer (it imports `glob` from
 * node:fs/promises and calls `Array.fromAsync`); on an older Node, ./node20.mjs supplies both
 * first. Nothing is downloaded: the bundler (rolldown, from @size-limit/preset-small-lib) runs
 * from node_modules.
 */
import { spawnSync } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(join(root, 'package.json'));
const bin = join(dirname(require.resolve('size-limit/package.json')), 'bin.js');
const needsShim = !('glob' in fsp) || typeof Array.fromAsync !== 'function';
const args = [...(needsShim ? ['--import', new URL('./node20.mjs', import.meta.url).href] : []), bin, ...process.argv.slice(2)];
const { status, signal } = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
process.exit(status ?? (signal ? 1 : 0));
