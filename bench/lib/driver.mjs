/**
 * The driver process: runs one workload against one server and reports its figures. Started by
 * the run script with `{ workload, target, url, params }` over IPC (and, to profile, `snapshots`
 * or `profiles`: a directory for the server's heap snapshots or profiles, and `profileKind`:
 * 'cpu', 'alloc', 'survived' or 'retained'); it reaches the server's control channel (CPU, memory after GC) through the
 * run script, and answers `{ kind: 'result', result }` or `{ kind: 'error', error }`.
 */
import { workload } from './workloads/index.mjs';

let nextRequest = 1;
const pending = new Map();

/** Asks the server process, through the run script, for `op` (see servers/control.mjs). */
function control(op, extra = {}) {
  const id = nextRequest++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    process.send({ kind: 'control', id, op, ...extra });
  });
}

process.on('message', (message) => {
  if (message.kind === 'control-reply') {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) waiter?.resolve(message.result);
    else waiter?.reject(new Error(message.error));
  } else if (message.kind === 'run') {
    void run(message);
  }
});
process.on('disconnect', () => process.exit(0));

async function run({ workload: name, target, url, urls, params, snapshots, profiles, profileKind = 'cpu' }) {
  try {
    let clients = 0;
    let windows = 0;
    const server = { cpu: () => control('cpu'), memory: () => control('memory') };
    if (profiles) {
      const extension = profileKind === 'cpu' ? 'cpuprofile' : 'heapprofile';
      server.profileStart = () => control('profile-start', { profileKind });
      server.profileStop = () => control('profile-stop', { file: `${profiles}/${target}-window-${++windows}.${extension}` });
    }
    const ctx = {
      target,
      url,
      urlFor: urls ? (uid) => urls[nodeOf(uid) % urls.length] : undefined,
      params,
      server,
      nextClient: () => clients++,
      snapshot: snapshots ? (label) => control('snapshot', { file: `${snapshots}/${target}-${label}.heapsnapshot` }) : undefined,
    };
    const result = await workload(name).run(ctx);
    const cpu = process.cpuUsage();
    process.send({ kind: 'result', result: { ...result, clients }, driverCpuTotalUs: cpu.user + cpu.system });
  } catch (error) {
    process.send({ kind: 'error', error: String(error?.stack ?? error) });
  }
}

/**
 * Which node a user of a fleet run connects to: receivers of peer messages on the second node
 * (every message crosses nodes), numbered users alternating (a channel's members on both).
 */
function nodeOf(uid) {
  if (uid.startsWith('receiver-')) return 1;
  if (uid.startsWith('sender-')) return 0;
  const n = /-(\d+)$/.exec(uid);
  return n ? Number(n[1]) % 2 : 0;
}
