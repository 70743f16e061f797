import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

// The CLI's last line of defence, tested on the built `rtm-server` as operators run it. Nothing in
// the server throws on purpose, so a module preloaded with `node --import` (test code, not part
// of the product) plays the defect: on SIGUSR2 it rejects a promise nobody handles, or throws
// from a signal handler, with a certificate and a token in the error's message.

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const APP_ID = 'f0000000000000000000000000000001';
const CERT = 'c0ffee00c0ffee00c0ffee00c0ffee00';
const TOKEN = `007eJx${'T'.repeat(40)}`;

const DEFECTS = {
  rejection: `process.on('SIGUSR2', () => { Promise.reject(new Error('store said no for ${CERT} with ${TOKEN}')); });`,
  exception: `process.on('SIGUSR2', () => { throw new Error('half-updated state for ${CERT} with ${TOKEN}'); });`,
};

let dir: string;
let child: ChildProcess | null = null;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rtm-cli-net-'));
  for (const [name, source] of Object.entries(DEFECTS)) await writeFile(join(dir, `${name}.mjs`), source);
  return () => rm(dir, { recursive: true, force: true });
});

afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = null;
});

/** Starts the CLI with a defect preloaded; resolves once it prints its URL. */
async function startCli(defect: keyof typeof DEFECTS): Promise<{ url: string; output: () => string; exited: Promise<number | null> }> {
  const proc = spawn(
    process.execPath,
    ['--import', pathToFileURL(join(dir, `${defect}.mjs`)).href, CLI, '--port', '0', '--apps', `${APP_ID}:${CERT}`, '--media-dir', join(dir, `media-${defect}`)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child = proc;
  let output = '';
  proc.stdout?.on('data', (chunk) => (output += String(chunk)));
  proc.stderr?.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the CLI did not start:\n${output}`)), 15_000);
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    proc.stdout?.on('data', check);
    void exited.then(() => reject(new Error(`the CLI exited while starting:\n${output}`)));
  });
  return { url, output: () => output, exited };
}

async function waitForOutput(output: () => string, pattern: RegExp, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!pattern.test(output())) {
    if (Date.now() > until) throw new Error(`expected ${pattern} in the output:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('rtm-server safety net', () => {
  it('logs an unhandled rejection without its secrets and keeps serving', async () => {
    const cli = await startCli('rejection');
    child?.kill('SIGUSR2');
    await waitForOutput(cli.output, /unhandled rejection \(serving on\)/);
    expect(cli.output()).toContain('store said no for *** with 007***');
    expect(cli.output()).not.toContain(CERT);
    expect(cli.output()).not.toContain(TOKEN);
    const res = await fetch(`${cli.url}/healthz`);
    expect(res.status).toBe(200);
    expect(child?.exitCode).toBeNull();
    child?.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  }, 30_000);

  it('logs an uncaught exception without its secrets, closes the server and exits with status 1', async () => {
    const cli = await startCli('exception');
    child?.kill('SIGUSR2');
    expect(await cli.exited).toBe(1);
    expect(cli.output()).toMatch(/uncaught exception, shutting down: Error: half-updated state for \*\*\* with 007\*\*\*/);
    expect(cli.output()).not.toContain(CERT);
    expect(cli.output()).not.toContain(TOKEN);
    // Closed, not abandoned: the port no longer answers.
    await expect(fetch(`${cli.url}/healthz`)).rejects.toThrow();
  }, 30_000);
});
