import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs an ES module script with plain Node from the repository root, as a user's app would. */
function runNode(script: string, timeoutMs = 15_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: root, env: { ...process.env, NODE_OPTIONS: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node script timed out; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts the built CLI and resolves the URL it prints once it listens. */
function startCli(args: string[]): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, ['server/dist/cli.js', ...args], { cwd: root, env: { ...process.env, RTM_APPS: '' } });
  const url = new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no listening line; got: ${out}`)), 10_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return { child, url };
}

describe('the built packages, imported by plain Node (run `npm run build` first; `npm test` does)', () => {
  it('resolves @rtm-kit/client, @rtm-kit/server and @rtm-kit/protocol from their dist exports', async () => {
    const { code, stdout, stderr } = await runNode(`
      const client = await import('@rtm-kit/client');
      const server = await import('@rtm-kit/server');
      const protocol = await import('@rtm-kit/protocol');
      console.log(JSON.stringify({
        createInstance: typeof client.default.createInstance,
        version: client.default.VERSION,
        startServer: typeof server.startServer,
        limits: protocol.DEFAULT_LIMITS.messageMaxBytes,
        resolved: import.meta.resolve('@rtm-kit/client'),
      }));
    `);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ createInstance: 'function', startServer: 'function', limits: 32_768 });
    expect(String(out['resolved'])).toMatch(/packages\/client\/dist\/index\.js$/);
  });

  it('logs a built client in to a built server', async () => {
    const { code, stdout, stderr } = await runNode(`
      import AgoraRTM from '@rtm-kit/client';
      import { startServer } from '@rtm-kit/server';
      const server = await startServer({ port: 0, logger: false });
      const client = AgoraRTM.createInstance('0123456789abcdef0123456789abcdef', { serverUrl: server.url, logFilter: AgoraRTM.LOG_FILTER_OFF });
      const states = [];
      client.on('ConnectionStateChanged', (s, r) => states.push(s + '/' + r));
      await client.login({ uid: 'packaged' });
      await client.logout();
      await server.close();
      console.log(JSON.stringify(states));
    `);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(['CONNECTING/LOGIN', 'CONNECTED/LOGIN_SUCCESS', 'DISCONNECTED/LOGOUT']);
  });

  it('require()s @rtm-kit/client from CommonJS: the AgoraRTM object, logged in to a built server', async () => {
    const child = spawn(
      process.execPath,
      [
        '-e',
        `
        const AgoraRTM = require('@rtm-kit/client');
        const resolved = require.resolve('@rtm-kit/client');
        import('@rtm-kit/server').then(async ({ startServer }) => {
          const server = await startServer({ port: 0, logger: false });
          const client = AgoraRTM.createInstance('0123456789abcdef0123456789abcdef', { serverUrl: server.url, logFilter: AgoraRTM.LOG_FILTER_OFF });
          await client.login({ uid: 'from-commonjs' });
          const state = client.connectionState;
          await client.logout();
          await server.close();
          console.log(JSON.stringify({ resolved, state, version: AgoraRTM.VERSION, enums: AgoraRTM.ConnectionState.ABORTED }));
        });
        `,
      ],
      { cwd: root, env: { ...process.env, NODE_OPTIONS: '' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as Record<string, string>;
    expect(out).toMatchObject({ state: 'CONNECTED', version: '1.5.1', enums: 'ABORTED' });
    expect(out['resolved']).toMatch(/packages\/client\/dist\/index\.cjs$/);
  });

  it('bundles @rtm-kit/client for the browser with Vite, without Node built-ins', async () => {
    const { build } = await import('vite');
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { join } = await import('node:path');
    // Inside the repository so the entry resolves the workspace packages like an app would.
    const dir = await mkdtemp(join(root, 'node_modules', '.rtm-kit-bundle-'));
    try {
      const entry = join(dir, 'entry.js');
      await writeFile(entry, "import AgoraRTM from '@rtm-kit/client';\nwindow.rtm = AgoraRTM.createInstance;\n");
      const result = (await build({
        root,
        logLevel: 'silent',
        configFile: false,
        build: { write: false, minify: false, rollupOptions: { input: entry }, outDir: join(dir, 'out') },
      })) as Array<{ output: Array<{ type: string; code?: string }> }> | { output: Array<{ type: string; code?: string }> };
      const outputs = Array.isArray(result) ? result : [result];
      const code = outputs.flatMap((o) => o.output).map((chunk) => chunk.code ?? '').join('\n');
      expect(code).toContain('createInstance');
      expect(code).not.toMatch(/from ['"]node:/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs the rtm-server CLI, which prints where it listens and stops on SIGTERM', async () => {
    const cli = startCli(['--port', '0']);
    const { child } = cli;
    try {
      const url = await cli.url;
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('serves a static app with --static next to the server', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(root, 'node_modules', '.rtm-kit-static-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>static app</title>');
    const cli = startCli(['--port', '0', '--static', dir]);
    try {
      const url = await cli.url;
      const page = await fetch(`${url}/`);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(await page.text()).toContain('static app');
      expect(await (await fetch(`${url}/healthz`)).text()).toBe('ok');
    } finally {
      cli.child.kill('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('restricts browser origins with --origins: a handshake from another origin is refused', async () => {
    const cli = startCli(['--port', '0', '--origins', 'https://app.example.com']);
    try {
      const url = await cli.url;
      // The socket.io handshake request, as a browser page of each origin would send it.
      const handshake = (origin: string) => fetch(`${url}/socket.io/?EIO=4&transport=polling`, { headers: { origin } });
      const allowed = await handshake('https://app.example.com');
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      expect((await handshake('https://evil.example.net')).status).toBe(403);
    } finally {
      cli.child.kill('SIGTERM');
    }
  });

  it('rejects a bad --port with a clear message', async () => {
    const child = spawn(process.execPath, ['server/dist/cli.js', '--port', 'abc'], { cwd: root });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(err).toContain('invalid port');
  });
});
