// The fuzzer's side of the server child process (harness.mjs): start it, ask it for its heap,
// notice when it goes down, restart it for the next case.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const HARNESS = fileURLToPath(new URL('./harness.mjs', import.meta.url));

/** The apps the fuzzed server serves: one that needs AccessToken2 tokens, one open to any uid. */
export const APPS = {
  tokens: { appId: 'f0000000000000000000000000000001', appCertificate: 'c0ffee00c0ffee00c0ffee00c0ffee00' },
  open: { appId: 'f0000000000000000000000000000002' },
};

/**
 * Durations short enough that everything the server keeps on purpose after a client leaves (grace
 * periods, ended sessions and invitations, replay, offline messages, media, rate windows) is gone
 * within seconds, so the heap can be compared with its baseline at the end of a run. The rules
 * themselves are unchanged; only their periods are.
 */
export const SHORT_RETENTION = {
  timing: {
    presenceGraceMs: 1_000,
    invitationDeliveryMs: 1_000,
    invitationExpireMs: 1_500,
    invitationAcceptAckMs: 1_000,
    endedInvitationMemoryMs: 1_500,
    channelReplayMs: 1_000,
    emptyChannelAttributesMs: 1_000,
    offlineMessageTtlMs: 1_500,
    mediaTtlMs: 1_500,
    mediaUploadIdleMs: 1_500,
    mediaChunkIdleMs: 1_500,
    mediaSweepIntervalMs: 500,
    endedSessionMemoryMs: 1_500,
  },
  limits: {
    offlineReceiversRate: { count: 100, windowMs: 1_500 },
    mediaUploadRate: { count: 30, windowMs: 1_500 },
  },
};

/**
 * The options of the fuzzed server. Every client of the fuzzer, attackers and bystanders alike,
 * comes from 127.0.0.1, so the per-address limits are lifted: with them, the attackers' own
 * connections would lock everyone out after a second and the cases would test nothing else. The
 * limits per connection and per user stay at their defaults.
 */
export const FUZZ_SERVER_OPTIONS = {
  ...SHORT_RETENTION,
  apps: [APPS.tokens, APPS.open],
  abuse: {
    handshakesPerAddress: { count: 1_000_000, windowMs: 1_000 },
    connectionsPerAddress: { count: 1_000_000, windowMs: 1_000 },
    maxConnectionsPerAddress: 1_000_000,
  },
};

/**
 * @typedef {{ heapUsed: number, rss: number, external: number, tcp: number, timers: number,
 *   maxLoopDelayMs: number, collected: boolean }} HeapReport
 * @typedef {{ message: string, detail?: string }} ServerError
 */

export class FuzzTarget {
  /** @type {import('node:child_process').ChildProcess | null} */
  #child = null;
  #nextId = 1;
  /** @type {Map<number, (message: any) => void>} */
  #waiting = new Map();
  /** Error lines the server logged and warnings its process emitted, in order, across restarts. */
  /** @type {ServerError[]} */
  errors = [];
  url = '';
  port = 0;
  alive = false;
  /** How the last child ended, with the end of its stderr. */
  /** @type {{ code: number | null, signal: string | null, stderr: string } | null} */
  exit = null;
  restarts = 0;
  secretMarker = `FUZZ-SECRET-${randomBytes(8).toString('hex')}`;
  /** @type {Record<string, unknown>} */
  serverOptions;

  /** @param {Record<string, unknown>} [serverOptions] `startServer` options for the child. */
  constructor(serverOptions = {}) {
    this.serverOptions = serverOptions;
  }

  /** Starts the child (again, if it went down). */
  async start() {
    if (this.alive) return;
    let stderr = '';
    const child = fork(HARNESS, [JSON.stringify({ server: this.serverOptions, secretMarker: this.secretMarker })], {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.#child = child;
    child.stderr?.on('data', (chunk) => {
      stderr = (stderr + String(chunk)).slice(-8_000);
    });
    child.on('message', (/** @type {any} */ message) => {
      if (message.type === 'log') this.errors.push({ message: `${message.level === 'warning' ? 'process warning ' : ''}${message.message}`, detail: message.detail });
      const resolve = this.#waiting.get(message.id);
      if (resolve) {
        this.#waiting.delete(message.id);
        resolve(message);
      }
    });
    const ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start within 20 s\n${stderr}`)), 20_000);
      child.on('message', (/** @type {any} */ message) => {
        if (message.type !== 'ready') return;
        clearTimeout(timer);
        resolve(message);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the server exited while starting (code ${code}, signal ${signal})\n${stderr}`));
      });
    });
    child.once('exit', (code, signal) => {
      if (this.#child !== child) return;
      this.alive = false;
      this.exit = { code, signal, stderr };
      for (const resolve of this.#waiting.values()) resolve({ type: 'exit' });
      this.#waiting.clear();
    });
    const { url, port } = /** @type {{ url: string, port: number }} */ (await ready);
    this.url = url;
    this.port = port;
    this.alive = true;
  }

  /** Starts a fresh child if the last one went down; true when it had to. */
  async revive() {
    if (this.alive) return false;
    this.restarts++;
    await this.start();
    return true;
  }

  /**
   * @param {string} type
   * @param {number} timeoutMs
   * @returns {Promise<any>} the child's answer, or null when it did not answer in time or exited
   */
  #ask(type, timeoutMs) {
    const child = this.#child;
    if (!child || !this.alive) return Promise.resolve(null);
    const id = this.#nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        resolve(null);
      }, timeoutMs);
      this.#waiting.set(id, (message) => {
        clearTimeout(timer);
        resolve(message.type === 'exit' ? null : message);
      });
      child.send({ type, id });
    });
  }

  /** True when the server process is up and its event loop answers within `timeoutMs`. */
  async responsive(timeoutMs = 2_000) {
    return (await this.#ask('ping', timeoutMs)) !== null;
  }

  /** @returns {Promise<HeapReport | null>} the heap after full collections */
  async heap() {
    return this.#ask('heap', 10_000);
  }

  /** What the child wrote to stderr before it exited, for reports. */
  describeExit() {
    if (!this.exit) return 'the server process is up';
    return `the server process exited (code ${this.exit.code}, signal ${this.exit.signal}):\n${this.exit.stderr.trim()}`;
  }

  async stop() {
    const child = this.#child;
    if (!child) return;
    if (this.alive) {
      await this.#ask('close', 10_000);
      await new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve(undefined);
        else child.once('exit', resolve);
        setTimeout(() => {
          child.kill('SIGKILL');
          resolve(undefined);
        }, 5_000).unref();
      });
    }
    this.alive = false;
    this.#child = null;
  }
}
