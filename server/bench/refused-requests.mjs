// A bystander's round trip while an attacker floods requests the server refuses.
//
//   npx tsc -b packages/protocol server && node server/bench/refused-requests.mjs [seconds-per-phase]
//
// Phases, each `seconds` long: no attacker (baseline); an attacker sending presence queries of
// 20 000 peer IDs (refused at the schema's wire bound); an attacker sending lists within the
// bound whose last ID is invalid (refused by the service, after its rate limit). The bystander
// asks `presence:query` for one peer, one request at a time, and the script prints percentiles of
// its round trip. The attacker runs in a child process, so the cost of encoding its packets is
// not the server's. Loopback only; every loop ends with its phase.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import { startServer } from '@rtm-kit/server';

const APP_ID = '0123456789abcdef0123456789abcdef';
const seconds = Number(process.argv[2] === '--attack' ? 0 : (process.argv[2] ?? 5));
const ATTACKERS = 4;
const IN_FLIGHT = 8;

function connect(url, uid) {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { v: 1, appId: APP_ID, uid, token: null, sessionId: null } });
  return new Promise((resolve, reject) => {
    socket.once('session:ready', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

const ids = (n) => Array.from({ length: n }, (_, i) => i.toString(36));
const PAYLOADS = {
  none: null,
  'oversized (20 000 IDs)': { peers: ids(20_000) },
  'within bound, invalid (1 000 IDs)': { peers: [...ids(999), 'not/valid'] },
};

function percentile(sorted, p) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** In the child: flood `url` with `payloadName` until `until`, then report the counts. */
async function attack(url, payloadName, until) {
  const payload = PAYLOADS[payloadName];
  const attackers = await Promise.all(Array.from({ length: ATTACKERS }, (_, i) => connect(url, `mallory-${i}`)));
  let refused = 0;
  let accepted = 0;
  const lane = async (socket) => {
    for (let guard = 0; guard < 10_000_000 && Date.now() < until; guard++) {
      const answer = await socket.timeout(10_000).emitWithAck('presence:query', payload).catch(() => ({ ok: false }));
      if (answer.ok) accepted++;
      else refused++;
    }
  };
  await Promise.all(attackers.flatMap((socket) => Array.from({ length: IN_FLIGHT }, () => lane(socket))));
  for (const s of attackers) s.disconnect();
  process.send({ refused, accepted });
}

async function phase(server, name) {
  const bystander = await connect(server.url, 'bystander');
  const until = Date.now() + 500 + seconds * 1_000;
  const child = PAYLOADS[name] ? fork(fileURLToPath(import.meta.url), ['--attack', server.url, name, String(until)]) : null;
  const counts = child ? new Promise((resolve) => child.once('message', resolve)) : Promise.resolve({ refused: 0, accepted: 0 });
  await new Promise((r) => setTimeout(r, 500)); // the attacker connects
  // The server's process (this one: the bystander's share is small and the same in every phase).
  const cpuBefore = process.cpuUsage();
  const rtts = [];
  for (let guard = 0; guard < 10_000_000 && Date.now() < until; guard++) {
    const t = performance.now();
    await bystander.timeout(10_000).emitWithAck('presence:query', { peers: ['mallory-0'] });
    rtts.push(performance.now() - t);
    // About 100 samples a second, so the bystander's own load stays small.
    await new Promise((r) => setTimeout(r, 10));
  }
  const cpu = process.cpuUsage(cpuBefore);
  const { refused, accepted } = await counts;
  bystander.disconnect();
  const cpuMs = (cpu.user + cpu.system) / 1_000;
  rtts.sort((a, b) => a - b);
  const ms = (v) => v.toFixed(2).padStart(8);
  console.log(
    `${name.padEnd(36)} bystander rtt ms  p50 ${ms(percentile(rtts, 50))}  p95 ${ms(percentile(rtts, 95))}  p99 ${ms(percentile(rtts, 99))}  max ${ms(rtts.at(-1) ?? NaN)}` +
      `\n${''.padEnd(36)} server cpu ${(cpuMs / seconds / 10).toFixed(0)}% of a core` +
      (refused + accepted > 0 ? `, ${((cpuMs * 1_000) / (refused + accepted)).toFixed(0)} µs per attacker request` : '') +
      `   (${rtts.length} samples; attacker requests refused ${refused}, accepted ${accepted})`,
  );
}

if (process.argv[2] === '--attack') {
  await attack(process.argv[3], process.argv[4], Number(process.argv[5]));
  process.exit(0);
}

const server = await startServer({ host: '127.0.0.1', port: 0, logger: false });
try {
  for (const name of Object.keys(PAYLOADS)) await phase(server, name);
} finally {
  await server.close();
}
