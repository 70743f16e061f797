import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Bundles an entry module for the browser with Vite, the way an app's build would, and returns
 * one IIFE script to put into a page.
 */
export async function bundleForBrowser(entrySource: string): Promise<string> {
  // Inside the repository so the entry resolves the workspace packages like an app would.
  const dir = await mkdtemp(join(root, 'node_modules', '.rtm-kit-e2e-'));
  try {
    const entry = join(dir, 'entry.js');
    await writeFile(entry, entrySource);
    const result = (await build({
      root,
      logLevel: 'silent',
      configFile: false,
      define: { 'process.env.NODE_ENV': '"production"' },
      build: {
        write: false,
        minify: false,
        outDir: join(dir, 'out'),
        lib: { entry, formats: ['iife'], name: 'RtmKitE2E', fileName: 'bundle' },
      },
    })) as Array<{ output: Array<{ code?: string }> }> | { output: Array<{ code?: string }> };
    const outputs = Array.isArray(result) ? result : [result];
    return outputs.flatMap((o) => o.output).map((chunk) => chunk.code ?? '').join('\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Debian's Chromium by default; `RTM_CHROMIUM` points elsewhere. */
export const chromiumPath = process.env['RTM_CHROMIUM'] ?? '/usr/bin/chromium';
export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'];
