/** Medians over runs, ratios, and the table a run prints. */
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
