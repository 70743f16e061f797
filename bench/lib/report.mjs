/** Medians over runs, ratios, and the table a run prints. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { round } from './measure.mjs';

export const TARGETS = ['bare', 'rtm-kit'];

export function median(values) {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Per target, the median over its successful runs of every numeric figure they report. */
export function medians(runs) {
  const out = {};
  for (const target of TARGETS) {
    const ok = runs[target].filter((r) => !r.error).map((r) => r.figures);
    const keys = new Set(ok.flatMap((f) => Object.keys(f)));
    out[target] = Object.fromEntries([...keys].map((k) => [k, round(median(ok.map((f) => f[k])))]));
  }
  return out;
}

/** rtm-kit / bare for every figure both have and bare's is not zero. */
export function ratios(med) {
  const out = {};
  for (const [key, bare] of Object.entries(med.bare)) {
    const rtm = med['rtm-kit'][key];
    if (typeof bare === 'number' && typeof rtm === 'number' && bare !== 0) out[key] = round(rtm / bare);
  }
  return out;
}

/** A Markdown table of the headline figures of every workload. */
export function table(workloads) {
  const rows = [
    '| workload | figure | bare socket.io | rtm-kit | rtm-kit / bare |',
    '|---|---|--:|--:|--:|',
  ];
  for (const w of workloads) {
    w.metrics.forEach(([key, label], i) => {
      const name = i === 0 ? w.title : '';
      rows.push(`| ${name} | ${label} | ${show(w.median.bare[key])} | ${show(w.median['rtm-kit'][key])} | ${show(w.ratio[key], '×')} |`);
    });
  }
  return rows.join('\n');
}

function show(value, suffix = '') {
  if (value === null || value === undefined) return '–';
  return `${value}${suffix}`;
}

/**
 * bench/results/<prefix>2026-12-03.json, or …-2.json when that exists (a results file is never
 * overwritten); `-quick` for quick runs.
 */
export function resultsFile(dir, quick, prefix = '') {
  const base = `${prefix}${new Date().toISOString().slice(0, 10)}${quick ? '-quick' : ''}`;
  for (let n = 1; n < 1000; n++) {
    const file = join(dir, `${base}${n === 1 ? '' : `-${n}`}.json`);
    if (!existsSync(file)) return file;
  }
  throw new Error(`too many results files for ${base} in ${dir}`);
}
