import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Docker may not run where the tests do: the image is checked by its structure, and the start
// command it uses is run for real by cli-drain.test.ts.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFile(`${ROOT}${path}`, 'utf8');

/** Dockerfile instructions (continuations joined, comments dropped), per stage. */
function parseDockerfile(text: string): Array<{ from: string; name: string | null; steps: Array<{ op: string; args: string }> }> {
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const stages: Array<{ from: string; name: string | null; steps: Array<{ op: string; args: string }> }> = [];
  for (const line of lines) {
    const [op = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (op.toUpperCase() === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      stages.push({ from: m?.[1] ?? '', name: m?.[2] ?? null, steps: [] });
    } else {
      stages.at(-1)?.steps.push({ op: op.toUpperCase(), args });
    }
  }
  return stages;
}

describe('container', () => {
  it('Dockerfile: multi-stage on node:20-slim, non-root, HEALTHCHECK on /healthz, CMD = the package bin', async () => {
    const stages = parseDockerfile(await read('Dockerfile'));
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0]).toMatchObject({ from: 'node:20-slim', name: 'build' });
    const runtime = stages.at(-1)!;
    expect(runtime.from).toBe('node:20-slim');
    expect(runtime.steps.some((s) => s.op === 'COPY' && s.args.startsWith('--from=build'))).toBe(true);
    // No dev dependencies in the image.
    expect(runtime.steps.find((s) => s.op === 'RUN' && s.args.includes('npm ci'))?.args).toContain('--omit=dev');

    const users = runtime.steps.filter((s) => s.op === 'USER').map((s) => s.args);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0', '0:0']).not.toContain(users.at(-1));
    // The user is set before the command runs, after every step that needs root.
    const userAt = runtime.steps.findIndex((s) => s.op === 'USER');
    expect(runtime.steps.slice(userAt).some((s) => s.op === 'RUN')).toBe(false);

    const health = runtime.steps.find((s) => s.op === 'HEALTHCHECK');
    expect(health?.args).toContain('/healthz');

    const cmd = runtime.steps.filter((s) => s.op === 'CMD').at(-1);
    const argv = JSON.parse(cmd?.args ?? 'null') as string[];
    const pkg = JSON.parse(await read('server/package.json')) as { bin: Record<string, string> };
    const bin = pkg.bin['rtm-server']!.replace(/^\.\//, '');
    expect(argv).toEqual(['node', `server/${bin}`]);
    // The image builds what the CMD runs.
    expect(stages[0]!.steps.some((s) => s.op === 'RUN' && s.args.includes('tsc -b packages/protocol server'))).toBe(true);
    expect(runtime.steps.some((s) => s.op === 'ENV' && s.args.includes('HOST=0.0.0.0'))).toBe(true);
  });

  it('.dockerignore keeps node_modules, builds and secrets out of the context', async () => {
    const ignored = (await read('.dockerignore')).split('\n').map((l) => l.trim());
    for (const entry of ['**/node_modules', '**/dist', '.git', '.env']) expect(ignored).toContain(entry);
  });

  it('compose.yaml: two nodes on Redis behind nginx, with the WebSocket upgrade passed through', async () => {
    const compose = await read('compose.yaml');
    for (const service of ['redis:', 'rtm1:', 'rtm2:', 'lb:']) expect(compose).toContain(`\n  ${service}`);
    expect(compose).toContain('REDIS_URL: redis://redis:6379');
    // The nodes keep media in Redis (a directory would be each node's own).
    expect(compose).toMatch(/RTM_MEDIA_DIR: ""/);
    expect(compose).toContain('./deploy/nginx.conf:/etc/nginx/nginx.conf:ro');
    const nginx = await read('deploy/nginx.conf');
    expect(nginx).toMatch(/server rtm1:8080/);
    expect(nginx).toMatch(/server rtm2:8080/);
    expect(nginx).toContain('proxy_set_header Upgrade $http_upgrade;');
    expect(nginx).toContain('proxy_set_header Connection $connection_upgrade;');
    expect(nginx).toContain('proxy_http_version 1.1;');
    // WebSocket-only clients need no affinity: no ip_hash, hash or sticky directive.
    const directives = nginx.split('\n').filter((l) => !l.trim().startsWith('#')).join('\n');
    expect(directives).not.toMatch(/\b(ip_hash|sticky|hash \$)/);
  });
});
