// The server under fuzzing, as a child process of the fuzzer: the built package, started the way
// an operator starts it, plus an IPC channel through which the fuzzer asks for the heap (after a
// full collection, hence --expose-gc) and receives the server's error log.
//
// Nothing here catches what escapes the server: an uncaught exception or an unhandled rejection
// ends this process, and the fuzzer reports that as the server going down. The monitor below
// only writes the error out before Node exits (stderr is synchronous on a pipe).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startServer } from '@rtm-kit/server';

process.on('uncaughtExceptionMonitor', (error, origin) => {
  process.stderr.write(`[fuzz-harness] ${origin}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
});

if (typeof process.send !== 'function') {
  process.stderr.write('[fuzz-harness] run me with child_process.fork (an IPC channel is required)\n');
  process.exit(2);
}

/** @param {unknown} message */
function send(message) {
  if (process.connected) process.send?.(message);
}

/** @param {unknown} detail */
function describe(detail) {
  if (detail === undefined) return undefined;
  if (detail instanceof Error) return detail.stack ?? detail.message;
  try {
    return JSON.stringify(detail).slice(0, 2_000);
  } catch {
    return String(detail);
  }
}

const options = JSON.parse(process.argv[2] ?? '{}');
const root = await mkdtemp(join(tmpdir(), 'rtm-fuzz-'));
// A file next to the served directory: no answer may ever contain its marker.
await writeFile(join(root, 'secret.txt'), options.secretMarker ?? 'no marker');
await mkdir(join(root, 'site'));
await writeFile(join(root, 'site', 'index.html'), '<!doctype html><title>site</title>');
await writeFile(join(root, 'site', 'app.js'), 'console.log("app");');

const server = await startServer({
  ...options.server,
  port: 0,
  host: '127.0.0.1',
  staticDir: join(root, 'site'),
  mediaDir: join(root, 'media'),
  logger: {
    info() {},
    warn() {},
    error: (message, detail) => send({ type: 'log', level: 'error', message, detail: describe(detail) }),
  },
});

// A warning such as MaxListenersExceededWarning is how a listener leak shows; deprecations of
// dependencies are not the server's doing.
process.on('warning', (warning) => {
  if (warning.name === 'DeprecationWarning' || warning.name === 'ExperimentalWarning') return;
  send({ type: 'log', level: 'warning', message: `${warning.name}: ${warning.message}`, detail: describe(warning) });
});

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

const gc = /** @type {(() => void) | undefined} */ (globalThis.gc);

process.on('message', async (/** @type {{ type: string, id: number }} */ message) => {
  switch (message.type) {
    case 'ping':
      send({ type: 'pong', id: message.id });
      break;
    case 'heap': {
      // Several passes, with turns of the event loop between them, so objects only reachable from
      // finished timers and closed sockets are gone too.
      for (let i = 0; i < 4; i++) {
        gc?.();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const memory = process.memoryUsage();
      const resources = process.getActiveResourcesInfo();
      send({
        type: 'heap',
        id: message.id,
        heapUsed: memory.heapUsed,
        rss: memory.rss,
        external: memory.external,
        tcp: resources.filter((r) => r === 'TCPSocketWrap').length,
        timers: resources.filter((r) => r === 'Timeout').length,
        maxLoopDelayMs: loopDelay.max / 1e6,
        collected: gc !== undefined,
      });
      loopDelay.reset();
      break;
    }
    case 'close':
      await server.close();
      await rm(root, { recursive: true, force: true });
      send({ type: 'closed', id: message.id });
      process.disconnect();
      break;
    default:
      break;
  }
});

// The parent went away without asking: do not outlive it.
process.on('disconnect', () => {
  void server
    .close()
    .then(() => rm(root, { recursive: true, force: true }))
    .finally(() => process.exit(0));
});

send({ type: 'ready', url: server.url, port: server.port });
