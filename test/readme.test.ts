import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('the README', () => {
  it('has a five-minute tour that runs as written with the built packages', async () => {
    const readme = await readFile(`${root}/README.md`, 'utf8');
    const tour = readme.split('## Five-minute tour')[1]?.match(/```js\n([\s\S]*?)```/)?.[1];
    expect(tour).toBeTruthy();
    const child = spawn(process.execPath, ['--input-type=module', '-e', tour as string], { cwd: root });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code, err).toBe(0);
    expect(out).toContain('alice CONNECTED LOGIN_SUCCESS');
    expect(out).toContain('bob ABORTED REMOTE_LOGIN');
  });
});
