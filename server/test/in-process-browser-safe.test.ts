import { isIPv4, isIPv6 } from 'node:net';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, defaultClientConditions, type Plugin } from 'vite';
import { describe, expect, it } from 'vitest';
import { addressKey } from '../src/binding/client-address.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const NODE_ONLY_PACKAGES = /(^|\/node_modules\/)(socket\.io|engine\.io|agora-token|ws)(\/|$)/;

/**
 * Bundles `entry` for the browser as an app's build would, and returns every import it resolved
 * (what each module asked for) and every module that ended up in the bundle.
 */
async function browserBundle(entry: string, conditions: string[]): Promise<{ requested: string[]; modules: string[] }> {
  const requested: string[] = [];
  const recorder: Plugin = {
    name: 'record-imports',
    enforce: 'pre',
    resolveId(source) {
      requested.push(source);
      return null;
    },
  };
  const result = (await build({
    root,
    logLevel: 'silent',
    configFile: false,
    plugins: [recorder],
    resolve: { conditions },
    build: { write: false, minify: false, lib: { entry, formats: ['es'], fileName: 'in-process' }, rollupOptions: { treeshake: false } },
  })) as Array<{ output: Array<{ modules?: Record<string, unknown> }> }> | { output: Array<{ modules?: Record<string, unknown> }> };
  const outputs = Array.isArray(result) ? result : [result];
  const modules = outputs.flatMap((o) => o.output).flatMap((chunk) => Object.keys(chunk.modules ?? {}));
  return { requested, modules };
}

describe('@rtm-kit/server/in-process in a browser', () => {
  for (const [what, entry, conditions] of [
    ['from its sources', 'server/src/testing/in-process/index.ts', ['source', ...defaultClientConditions]],
    ['as built', 'server/dist/testing/in-process/index.js', [...defaultClientConditions]],
  ] as const) {
    it(`imports no Node built-in, socket.io server, engine.io or agora-token ${what}`, async () => {
      const { requested, modules } = await browserBundle(entry, [...conditions]);
      // The bundle holds the real core and binding, not a stand-in.
      expect(modules.some((m) => /server\/(src|dist)\/core\/core\.(ts|js)$/.test(m))).toBe(true);
      expect(modules.some((m) => /server\/(src|dist)\/binding\/socketio\.(ts|js)$/.test(m))).toBe(true);
      expect(modules.some((m) => /server\/(src|dist)\/stores\/memory\//.test(m))).toBe(true);
      expect(requested.filter((r) => NODE_BUILTINS.has(r) || r.startsWith('node:'))).toEqual([]);
      expect(requested.filter((r) => NODE_ONLY_PACKAGES.test(r))).toEqual([]);
      expect(modules.filter((m) => NODE_ONLY_PACKAGES.test(m) || m.includes('vite-browser-external'))).toEqual([]);
    }, 60_000);
  }
});

describe('the binding reads client addresses without node:net', () => {
  it('agrees with node:net on which strings are IPv4 and IPv6 addresses', () => {
    const corpus = ['1.2.3.4', '01.2.3.4', '256.1.1.1', '1.2.3', '::', '::1', '1::', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', '1::2::3', '::ffff:1.2.3.4', '::ffff:01.2.3.4', '2001:db8::1.2.3.4', '1:2:3:4:5:6:7:1.2.3.4', '12345::', 'g::', 'fe80::1', ':1', '1:', ':::', '::1.2.3.4', '1:2:3:4:5:6:7::', '[::1]', 'client-42'];
    // And random strings over the characters addresses are made of (a fixed seed: same run every time).
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x80000000);
    for (let i = 0; i < 20_000; i++) {
      const length = 1 + Math.floor(random() * 16);
      corpus.push(Array.from({ length }, () => '0123456789abcdef:.'[Math.floor(random() * 18)]).join(''));
    }
    for (const address of corpus) {
      // addressKey keeps IPv4 (also IPv4-mapped IPv6) and anything else, and reduces IPv6 to its /64.
      const a = address.toLowerCase().replace(/^\[(.*)\]$/, '$1');
      const expected = a.startsWith('::ffff:') && isIPv4(a.slice(7)) ? a.slice(7) : isIPv6(a) ? 'v6' : a;
      const key = addressKey(address);
      expect(key.endsWith('::/64') ? 'v6' : key, address).toBe(expected);
    }
  });
});
