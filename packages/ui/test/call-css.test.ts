// @vitest-environment node
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const source = async () => (await readFile(fileURLToPath(new URL('../src/styles/call.css', import.meta.url)), 'utf8')).replace(/\/\*[\s\S]*?\*\//g, '');

it('wraps every selector of call.css in :where() and names only rtm-call classes', async () => {
  const css = await source();
  // Selectors of style rules: what precedes a "{" outside @keyframes bodies.
  const withoutKeyframes = css.replace(/@keyframes[^{]+\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}/g, '');
  const selectors = [...withoutKeyframes.matchAll(/([^{};]+)\{/g)].map((m) => (m[1] ?? '').trim()).filter((s) => !s.startsWith('@'));
  expect(selectors.length).toBeGreaterThan(10);
  for (const selector of selectors) {
    expect(selector).toMatch(/^:where\(.*\)$/s);
    for (const [name] of selector.matchAll(/\.[a-z-]+/g)) expect(['.rtm-button', '.rtm-call']).toContain(name.startsWith('.rtm-call') ? '.rtm-call' : name);
  }
});

it('takes every colour from the --rtm-* custom properties', async () => {
  const css = await source();
  expect(css).not.toMatch(/#[0-9a-f]{3,8}\b/i);
  expect(css).not.toMatch(/\b(rgb|rgba|hsl|hsla|oklch|color-mix)\(/i);
  const variables = [...css.matchAll(/var\((--[a-z-]+)/g)].map((m) => m[1]);
  expect(variables.length).toBeGreaterThan(20);
  for (const name of variables) expect(name).toMatch(/^--rtm-/);
});
