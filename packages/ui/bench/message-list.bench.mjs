// Message list benchmark: 10,000 messages in headless Chromium, then 100 appended one at a time.
// Reports ms per append (React's render and commit; and until two frames later, when the virtual
// list has measured and scrolled: that figure includes frame waits of ~16 ms each), rows in
// the DOM, and whether the scroll position holds: at the bottom while following, and on the same
// message while the user reads older ones and messages are appended or prepended.
//
//   node packages/ui/bench/message-list.bench.mjs            (from the repository root)
//   RTM_CHROMIUM=/path/to/chrome node packages/ui/bench/message-list.bench.mjs
//   BENCH_MESSAGES=50000 BENCH_APPENDS=200 node packages/ui/bench/message-list.bench.mjs
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const entry = fileURLToPath(new URL('./message-list.entry.tsx', import.meta.url));
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const APPENDS = Number(process.env.BENCH_APPENDS ?? 100);
const chromiumPath = process.env.RTM_CHROMIUM ?? '/usr/bin/chromium';

async function bundle() {
  const dir = await mkdtemp(join(root, 'node_modules', '.rtm-kit-bench-'));
  try {
    await build({
      root,
      logLevel: 'silent',
      configFile: false,
      // Workspace packages from their sources, as the tests use them; React in production mode.
      resolve: { conditions: ['source', 'browser', 'module', 'import', 'default'] },
      define: { 'process.env.NODE_ENV': '"production"' },
      esbuild: { jsx: 'automatic' },
      build: {
        outDir: dir,
        minify: true,
        lib: { entry, formats: ['iife'], name: 'RtmKitBench', fileName: () => 'bench.js' },
      },
    });
    return await readFile(join(dir, 'bench.js'), 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean: mean.toFixed(2), p50: at(0.5).toFixed(2), p95: at(0.95).toFixed(2), max: at(1).toFixed(2) };
};

const code = await bundle();
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 900, height: 800 } });
  const css = await readFile(join(root, 'packages/ui/src/styles/theme.css'), 'utf8') + (await readFile(join(root, 'packages/ui/src/styles/chat.css'), 'utf8'));
  await page.setContent(`<!doctype html><html><head><style>${css}</style></head><body style="margin:0"><div id="host" style="height:600px;width:720px;display:flex;flex-direction:column"></div></body></html>`);
  await page.addScriptTag({ content: code });

  const mountMs = await page.evaluate((n) => window.bench.mount(n), MESSAGES);
  const mode = await page.evaluate(() => document.querySelector('.rtm-chat-messages')?.getAttribute('data-mode'));
  const atBottom = () =>
    page.evaluate(() => {
      const log = window.bench.log();
      return log.scrollHeight - log.scrollTop - log.clientHeight <= 48;
    });
  const startedAtBottom = await atBottom();

  // Following: the user is at the bottom while messages arrive.
  const appendMs = [];
  let maxRows = await page.evaluate(() => window.bench.rows());
  for (let i = 0; i < APPENDS; i++) {
    appendMs.push(await page.evaluate(() => window.bench.append()));
    maxRows = Math.max(maxRows, await page.evaluate(() => window.bench.rows()));
  }
  await page.waitForTimeout(300);
  const followedToBottom = await atBottom();
  const distanceFromBottom = await page.evaluate(() => {
    const log = window.bench.log();
    return Math.round(log.scrollHeight - log.scrollTop - log.clientHeight);
  });

  // Reading older messages: scroll up, then append and prepend; the message in view must stay put.
  // The user scrolls up with the mouse wheel (a programmatic scroll is not the user's and the
  // list would keep to the bottom).
  const box = await page.locator('[role="log"]').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 12; i++) {
    await page.mouse.wheel(0, -500);
    await page.waitForTimeout(40);
  }
  await page.waitForTimeout(300);
  const anchorId = await page.evaluate(() => window.bench.firstVisibleId());
  const anchorBefore = await page.evaluate((id) => window.bench.offsetOf(id), anchorId);
  const readingAppendMs = [];
  for (let i = 0; i < 20; i++) readingAppendMs.push(await page.evaluate(() => window.bench.append()));
  const afterAppends = await page.evaluate((id) => window.bench.offsetOf(id), anchorId);
  const newMessagesButton = await page.evaluate(() => document.querySelector('.rtm-chat-jump')?.textContent ?? null);
  const prependMs = await page.evaluate(() => window.bench.prepend(100));
  await page.waitForTimeout(300);
  const afterPrepend = await page.evaluate((id) => window.bench.offsetOf(id), anchorId);
  const dropMs = await page.evaluate(() => window.bench.dropOldest(500));
  await page.waitForTimeout(300);
  const afterDrop = await page.evaluate((id) => window.bench.offsetOf(id), anchorId);
  const rows = await page.evaluate(() => window.bench.rows());

  const report = {
    messages: MESSAGES,
    listMode: mode,
    mountMs: Number(mountMs.toFixed(1)),
    startedAtBottom,
    appendWhileFollowing: { appends: APPENDS, commitMs: stats(appendMs.map((t) => t.commitMs)), settledMs: stats(appendMs.map((t) => t.settledMs)) },
    followedToBottom,
    distanceFromBottom,
    rowsInDomMax: maxRows,
    appendWhileReading: { appends: 20, commitMs: stats(readingAppendMs.map((t) => t.commitMs)), anchorDriftPx: afterAppends === null || anchorBefore === null ? null : Math.round(afterAppends - anchorBefore), button: newMessagesButton },
    prepend100: { commitMs: Number(prependMs.commitMs.toFixed(1)), anchorDriftPx: afterPrepend === null || anchorBefore === null ? null : Math.round(afterPrepend - anchorBefore) },
    dropOldest500: { commitMs: Number(dropMs.commitMs.toFixed(1)), anchorDriftPx: afterDrop === null || anchorBefore === null ? null : Math.round(afterDrop - anchorBefore) },
    rowsInDomAfter: rows,
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  await browser.close();
}
