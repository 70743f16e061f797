/**
 * The processes of a run: a server (bare or rtm-kit) and a driver, each pinned to a core of its
 * own with `taskset` where it exists and the machine has two cores or more.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { DRIVER_CPU, SERVER_CPU } from './config.mjs';

const SERVER_SCRIPTS = {
  bare: fileURLToPath(new URL('./servers/bare.mjs', import.meta.url)),
  'rtm-kit': fileURLToPath(new URL('./servers/rtm-kit.mjs', import.meta.url)),
  /** A node of the fleet benchmark (memory or Redis store, from the environment). */
  'rtm-kit-node': fileURLToPath(new URL('./servers/rtm-kit-node.mjs', import.meta.url)),
};
const DRIVER_SCRIPT = fileURLToPath(new URL('./driver.mjs', import.meta.url));

/** The benchmarks run the built packages: say so and exit when they are not built. */
export function exitUnlessBuilt(root) {
  for (const built of ['server/dist/index.js', 'packages/client/dist/index.js']) {
    if (!existsSync(join(root, built))) {
      console.error(`${built} is missing: run \`npm run build\` first.`);
      process.exit(1);
    }
  }
}

/** True when server and driver can each have a core: `taskset` runs and there are ≥ 2 cores. */
export function canPin() {
  if (availableParallelism() < 2) return false;
  return spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' }).status === 0;
}

function spawnNode(script, { cpu, pin, nodeArgs = [], cwd }) {
  const [command, args] = pin
    ? ['taskset', ['-c', String(cpu), process.execPath, ...nodeArgs, script]]
    : [process.execPath, [...nodeArgs, script]];
  // NODE_OPTIONS of a caller (a test runner's loader) must not reach the measured processes.
  return spawn(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, NODE_OPTIONS: '' } });
}

function exited(child) {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Starts the `target` server ('bare' | 'rtm-kit') with `--expose-gc` (and `nodeArgs`, such as
 * `--cpu-prof`) and resolves once it listens.
 */
export async function startServerProcess(target, { pin, nodeArgs = [], cwd }) {
  const child = spawnNode(SERVER_SCRIPTS[target], { cpu: SERVER_CPU, pin, nodeArgs: ['--expose-gc', ...nodeArgs], cwd });
  const pending = new Map();
  let nextId = 1;
  const ready = new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`the ${target} server exited (${signal ?? code}) before it listened`)));
    child.once('error', reject);
    child.on('message', (message) => {
      if (message.ready) resolve(message);
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(message.error));
    });
  });
  child.once('exit', () => {
    for (const waiter of pending.values()) waiter.reject(new Error(`the ${target} server exited`));
    pending.clear();
  });
  const { url } = await withTimeout(ready, 20_000, `starting the ${target} server`).catch((error) => {
    child.kill('SIGKILL');
    throw error;
  });

  /** One control request (servers/control.mjs). */
  const request = (op, extra = {}, timeoutMs = 60_000) => {
    const id = nextId++;
    const answer = new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child.send({ id, op, ...extra });
    });
    return withTimeout(answer, timeoutMs, `the ${target} server's ${op}`);
  };

  return {
    target,
    url,
    pid: child.pid,
    request,
    /** Asks the server to close and exit (a CPU profile is written then); kills it if it does not. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        await request('exit', {}, 15_000).catch(() => child.kill('SIGKILL'));
      }
      await withTimeout(exited(child), 15_000, `stopping the ${target} server`).catch(() => child.kill('SIGKILL'));
      await exited(child);
    },
  };
}

/**
 * Runs one workload in a new driver process against `server`; resolves with its figures and the
 * driver's CPU time (µs). The driver's control requests are passed on to the server.
 */
export async function runDriver(server, job, { pin, cwd, timeoutMs }) {
  const child = spawnNode(DRIVER_SCRIPT, { cpu: DRIVER_CPU, pin, cwd });
  const outcome = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`the driver exited (${signal ?? code}) without a result`)));
    child.on('message', (message) => {
      if (message.kind === 'control') {
        const { id, op, kind: _, ...extra } = message;
        server.request(op, extra).then(
          (result) => child.connected && child.send({ kind: 'control-reply', id, ok: true, result }),
          (error) => child.connected && child.send({ kind: 'control-reply', id, ok: false, error: String(error) }),
        );
      } else if (message.kind === 'result') resolve({ figures: message.result, driverCpuTotalUs: message.driverCpuTotalUs });
      else if (message.kind === 'error') reject(new Error(message.error));
    });
  });
  child.send({ kind: 'run', url: server.url, target: server.target, ...job });
  try {
    return await withTimeout(outcome, timeoutMs, `the ${job.workload} workload on ${server.target}`);
  } finally {
    child.kill('SIGKILL');
    await exited(child);
  }
}
