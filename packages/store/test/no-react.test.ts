import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : [path];
  });
}

it('imports no React: only the client, zustand/vanilla and its own modules', () => {
  const files = sources(SRC);
  expect(files.length).toBeGreaterThan(5);
  const imported = new Set<string>();
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)) imported.add(match[1] as string);
  }
  const external = [...imported].filter((s) => !s.startsWith('.')).sort();
  expect(external).toEqual(['@rtm-kit/client', 'zustand/vanilla']);
});
