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

/**
 * The headline figure's ratio run by run: run r of rtm-kit over run r of bare, which ran next to
 * each other (so under much the same load of the machine), sorted. Their spread shows how steady
 * the ratio is; the table's ratio is of the medians.
 */
export function pairedRatios(w) {
  const [key] = w.metrics[0];
  const bare = w.runs.bare;
  const rtm = w.runs['rtm-kit'];
  const out = [];
  for (let r = 0; r < Math.min(bare.length, rtm.length); r++) {
    const b = bare[r].figures?.[key];
    const k = rtm[r].figures?.[key];
    if (typeof b === 'number' && typeof k === 'number' && b > 0) out.push(round(k / b));
  }
  return out.sort((x, y) => x - y);
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
    '| workload | figure | bare socket.io | rtm-kit | rtm-kit / bare | run by run |',
    '|---|---|--:|--:|--:|--:|',
  ];
  for (const w of workloads) {
    w.metrics.forEach(([key, label, options], i) => {
      const name = i === 0 ? w.title : '';
      const ratio = options?.ratio === false ? undefined : w.ratio[key];
      const paired = i === 0 ? w.pairedRatios ?? [] : [];
      const spread = paired.length > 1 ? `${paired[0]}–${paired[paired.length - 1]}×` : '';
      rows.push(`| ${name} | ${label} | ${show(w.median.bare[key])} | ${show(w.median['rtm-kit'][key])} | ${show(ratio, '×')} | ${spread} |`);
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
