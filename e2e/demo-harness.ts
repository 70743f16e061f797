import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const demoRoot = join(root, 'demo');

/** The bound of every wait in the demo's browser tests. */
export const WAIT_MS = 10_000;
/** The App ID the login form fills in. */
export const DEMO_APP_ID = '0123456789abcdef0123456789abcdef';
/** Where screenshots of the demo go: `RTM_E2E_ARTIFACTS`, or rtm-kit-e2e in the temp directory. */
export const artifactsDir = process.env['RTM_E2E_ARTIFACTS'] ?? join(tmpdir(), 'rtm-kit-e2e');

/**
 * Builds the demo as `npm run build:demo` would, into a fresh directory for `startServer({
 * staticDir })`, so a test needs no earlier build of it. Remove it with `removeDemo`.
 */
export async function buildDemo(): Promise<string> {
  const outDir = await mkdtemp(join(root, 'node_modules', '.rtm-kit-demo-'));
  await build({
    root: demoRoot,
    configFile: join(demoRoot, 'vite.config.ts'),
    logLevel: 'silent',
    // Vitest sets NODE_ENV=test, which would otherwise select React's development build.
    define: { 'process.env.NODE_ENV': '"production"' },
    build: { outDir, emptyOutDir: true, sourcemap: false },
  });
  return outDir;
}

export async function removeDemo(outDir: string | undefined): Promise<void> {
  if (outDir !== undefined) await rm(outDir, { recursive: true, force: true });
}

/**
 * A new browser context (its own storage, as another browser would have) with one page at `url`.
 * Errors the page throws or logs are added to `errors`.
 */
export async function openTab(browser: Browser, url: string, errors: string[]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1180, height: 720 } });
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  return page;
}

/** Logs in from the demo's login form and waits for the connection to report the login. */
export async function logIn(page: Page, uid: string): Promise<void> {
  await page.getByRole('textbox', { name: 'User ID' }).fill(uid);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect.poll(() => page.getByRole('status', { name: 'Connection' }).textContent(), { timeout: WAIT_MS }).toContain('CONNECTED/LOGIN_SUCCESS');
}

/** Waits until the locator shows (bounded), then returns its text. */
export async function shown(locator: Locator): Promise<string> {
  await locator.waitFor({ state: 'visible', timeout: WAIT_MS });
  return (await locator.textContent()) ?? '';
}

/** Saves a screenshot of the page as `<name>.png` in `artifactsDir`. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(artifactsDir, { recursive: true });
  // Animations run to their end first, so dialogs show as they settle.
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), animations: 'disabled' });
}
