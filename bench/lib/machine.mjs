/** What the machine was doing during a run, so a reader can tell a quiet run from a busy one. */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';

const TICKS_PER_SECOND = 100;

/** Busy CPU seconds of the whole machine so far (all cores), from /proc/stat; null elsewhere. */
export function machineBusySeconds() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const [, ...fields] = line.trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal ...: everything but idle and iowait is busy.
    const busy = fields.reduce((sum, v, i) => (i === 3 || i === 4 ? sum : sum + (v || 0)), 0);
    return busy / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

export function describeMachine() {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? null,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadavg: loadavg().map((v) => Number(v.toFixed(2))),
  };
}
