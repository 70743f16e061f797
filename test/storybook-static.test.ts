import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const chromiumPath = process.env['RTM_CHROMIUM'] ?? '/usr/bin/chromium';
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'];
const BUILD_MS = 180_000;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
};

/** `npm run build-storybook`, into `out`. */
async function buildStorybook(out: string): Promise<void> {
  const child = spawn(join(root, 'node_modules/.bin/storybook'), ['build', '-c', 'storybook/.storybook', '-o', out, '--quiet'], {
    cwd: root,
    env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1', NODE_ENV: 'production' },
  });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), BUILD_MS);
    child.on('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  if (code !== 0) throw new Error(`build-storybook exited with ${code}:\n${log.slice(-4_000)}`);
}

/** Any static file server will do: this one serves files from `dir` and nothing else. */
function serveStatic(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(dir + sep)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => res.writeHead(404).end('not found'),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('the static Storybook, served by a plain file server with no rtm-kit server running', () => {
  let out: string;
  let files: Server;
  let origin: string;
  let browser: Browser;
  /** Every URL the pages asked for. */
  const requested: string[] = [];

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'rtm-storybook-static-'));
    await buildStorybook(out);
    files = await serveStatic(out);
    origin = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  }, BUILD_MS + 30_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => files?.close(resolve));
    if (out) await rm(out, { recursive: true, force: true });
  });

  async function openStory(id: string) {
    const page = await browser.newPage();
    page.on('request', (request) => requested.push(request.url()));
    page.on('websocket', (ws) => requested.push(ws.url()));
    await page.goto(`${origin}/iframe.html?id=${id}&viewMode=story`);
    return page;
  }

  it('has an index.html and an index.json listing the CallDialog and ChatPanel stories', async () => {
    expect((await stat(join(out, 'index.html'))).isFile()).toBe(true);
    const index = (await (await fetch(`${origin}/index.json`)).json()) as { entries: Record<string, { title: string; type: string }> };
    const stories = Object.entries(index.entries).filter(([, e]) => e.type === 'story');
    expect(stories.filter(([, e]) => e.title === 'Components/ChatPanel').length).toBeGreaterThanOrEqual(5);
    expect(stories.filter(([, e]) => e.title === 'Components/CallDialog').length).toBeGreaterThanOrEqual(5);
    expect(index.entries['components-chatpanel--playground']).toBeDefined();
    expect(index.entries['components-calldialog--incoming']).toBeDefined();
  });

  it('shows a simulated peer answering in a ChatPanel story after a message is sent', async () => {
    const page = await openStory('components-chatpanel--playground');
    const box = page.getByRole('textbox', { name: 'Message echo' });
    await expect.poll(() => box.isEnabled(), { timeout: 20_000 }).toBe(true);
    await box.fill('Hello from a static build');
    await box.press('Enter');
    const log = page.getByRole('log', { name: 'Messages with echo' });
    await log.getByText('Echo: Hello from a static build').waitFor({ timeout: 20_000 });
    await page.close();
  }, 60_000);

  it('rings in a CallDialog story', async () => {
    const page = await openStory('components-calldialog--incoming');
    const dialog = page.getByRole('alertdialog', { name: 'Incoming call from carol' });
    await dialog.waitFor({ timeout: 20_000 });
    expect(await dialog.getAttribute('data-state')).toBe('incoming');
    await page.close();
  }, 60_000);

  it('asked nothing of any other server', () => {
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith('blob:'))).toEqual([]);
  });
});
