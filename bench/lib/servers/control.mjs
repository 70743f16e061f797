import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { writeHeapSnapshot } from 'node:v8';

/**
 * The server side of the control channel (Node IPC with the run script): the driver asks,
 * through the run script, for this process's CPU time and for its memory after a full GC.
 *
 * Requests are `{ id, op }`; answers `{ id, ok, result }` or `{ id, ok: false, error }`.
 * - `cpu`: `process.cpuUsage()`, user and system µs of the whole process so far.
 * - `memory`: `process.memoryUsage()` after garbage collection (needs `--expose-gc`).
 * - `snapshot`: writes a heap snapshot (after a GC) to `file` and answers its path (profiling only).
 * - `profile-start` / `profile-stop`: a profile of what happens in between, written to `file`
 *   (profiling only): of CPU time (a .cpuprofile), or of what is allocated (sampling heap
 *   profiles, .heapprofile): with `profileKind: 'alloc'` all of it, with 'survived' what outlived
 *   the young generation (collected later or not), with 'retained' what is still held at the end.
 * - `exit`: closes the server, then the process exits (so `--cpu-prof` writes its profile).
 */
export function serveControl({ url, close }) {
  process.on('message', (message) => {
    void answer(message, close);
  });
  // The run script is gone: nobody will ever ask this server to stop.
  process.on('disconnect', () => process.exit(0));
  process.send({ ready: true, url, pid: process.pid });
}

async function answer({ id, op, file, profileKind }, close) {
  try {
    switch (op) {
      case 'cpu':
        reply(id, process.cpuUsage());
        return;
      case 'memory':
        await collectGarbage();
        reply(id, process.memoryUsage());
        return;
      case 'snapshot':
        await collectGarbage();
        reply(id, writeHeapSnapshot(file));
        return;
      case 'profile-start':
        await profiler.start(profileKind);
        reply(id, null);
        return;
      case 'profile-stop':
        reply(id, await profiler.stop(file));
        return;
      case 'exit':
        await close();
        process.send({ id, ok: true, result: null }, () => process.exit(0));
        return;
      default:
        throw new Error(`unknown control request ${String(op)}`);
    }
  } catch (error) {
    process.send({ id, ok: false, error: String(error?.stack ?? error) });
  }
}

function reply(id, result) {
  process.send({ id, ok: true, result });
}

const profiler = {
  session: null,
  kind: 'cpu',
  async start(kind = 'cpu') {
    this.kind = kind;
    this.session ??= new Session();
    this.session.connect();
    if (kind !== 'cpu') {
      await this.session.post('HeapProfiler.enable');
      // 'alloc' samples every allocation alike, whether a later GC collects it or not: what a
      // message allocates is what the collector has to work through. What outlives the young
      // generation is copied and promoted, the dearest part of that work.
      await this.session.post('HeapProfiler.startSampling', {
        samplingInterval: 512,
        includeObjectsCollectedByMajorGC: kind === 'alloc' || kind === 'survived',
        includeObjectsCollectedByMinorGC: kind === 'alloc',
      });
    } else {
      await this.session.post('Profiler.enable');
      // Every 100 µs rather than V8's 1 ms: a message costs tens of µs, a 3 s window needs the detail.
      await this.session.post('Profiler.setSamplingInterval', { interval: 100 });
      await this.session.post('Profiler.start');
    }
  },
  async stop(file) {
    // What the young generation holds now would count as having outlived it: one scavenge first.
    if (this.kind === 'survived') globalThis.gc?.({ type: 'minor' });
    const { profile } = await this.session.post(this.kind === 'cpu' ? 'Profiler.stop' : 'HeapProfiler.stopSampling');
    this.session.disconnect();
    writeFileSync(file, JSON.stringify(profile));
    return file;
  },
};

/** Full collections until the heap stops shrinking (weak references and finalizers need a turn). */
async function collectGarbage() {
  if (typeof globalThis.gc !== 'function') throw new Error('run the server with --expose-gc');
  let last = Infinity;
  for (let i = 0; i < 4; i++) {
    globalThis.gc();
    await new Promise((resolve) => setImmediate(resolve));
    const used = process.memoryUsage().heapUsed;
    if (used >= last) break;
    last = used;
  }
}
