import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { RtmClient } from '@rtm-kit/client';
import { redisAvailable, redisUrl } from '../redis/redis-available.js';
import { APP_ID, balancer, useFleet } from './fleet-kit.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const waitFor = async (check: () => boolean | Promise<boolean>, what: string, ms = 10_000) => {
  for (let i = 0, until = Date.now() + ms; i < 100_000; i++) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
};

/** A node in a process of its own (the CLI), so the test can SIGKILL it. */
async function nodeProcess(keyPrefix: string): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, [CLI, '--port', '0', '--redis', redisUrl, '--redis-prefix', keyPrefix], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'info' },
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the node did not start:\n${output}`)), 15_000);
    const check = () => {
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', () => reject(new Error(`the node exited while starting:\n${output}`)));
  });
  return { port, child };
}

/** Every message a client receives from peers and in a channel, by text. */
function received(client: RtmClient, channel: ReturnType<RtmClient['createChannel']>): string[] {
  const got: string[] = [];
  client.on('MessageFromPeer', (m) => got.push('text' in m ? m.text : ''));
  channel.on('ChannelMessage', (m) => got.push('text' in m ? m.text : ''));
  return got;
}

describe.runIf(redisAvailable)('a node killed under traffic', () => {
  const fleet = useFleet();
  let child: ChildProcess | null = null;
  let lb: Awaited<ReturnType<typeof balancer>> | null = null;
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    child = null;
    lb?.close();
    lb = null;
  });

  it('loses no acknowledged message, delivers none twice, settles every send; the client resumes on a survivor', { timeout: 60_000 }, async () => {
    const killed = await nodeProcess(fleet.keyPrefix);
    child = killed.child;
    const survivor = await fleet.node({ timing: { presenceGraceMs: 30_000 } });
    lb = await balancer();
    lb.target.port = killed.port;

    const alice = fleet.client(lb.url);
    const states: string[] = [];
    alice.on('ConnectionStateChanged', (state, reason) => states.push(`${state}/${reason}`));
    await alice.login({ uid: 'alice' });
    const bob = await fleet.user('bob', survivor);
    const aliceRoom = alice.createChannel('room');
    const bobRoom = bob.createChannel('room');
    await aliceRoom.join();
    await bobRoom.join();
    const got = received(bob, bobRoom);
    const before = await survivor.core.sessions.get(APP_ID, 'alice');

    // 120 messages, peer and channel in turn, every 10 ms; the node dies after the 40th.
    const outcomes: Array<Promise<'ack' | 'failed'>> = [];
    for (let i = 0; i < 120; i++) {
      const text = `${i % 2 === 0 ? 'peer' : 'channel'} ${i}`;
      const send = i % 2 === 0 ? alice.sendMessageToPeer({ text }, 'bob').then((r) => (r.hasPeerReceived ? 'ack' : 'failed')) : aliceRoom.sendMessage({ text }).then(() => 'ack' as const);
      outcomes.push(send.catch(() => 'failed' as const));
      if (i === 40) {
        killed.child.kill('SIGKILL');
        // The balancer sends new connections to the node still alive.
        lb.target.port = survivor.port;
      }
      await sleep(10);
    }
    // Every send settles: acknowledged, or reported failed (never pending for good).
    const settled = await Promise.race([Promise.all(outcomes), sleep(30_000).then(() => null)]);
    expect(settled).not.toBeNull();
    const acked = (settled ?? []).flatMap((o, i) => (o === 'ack' ? [`${i % 2 === 0 ? 'peer' : 'channel'} ${i}`] : []));
    await waitFor(() => acked.every((t) => got.includes(t)), 'every acknowledged message at bob');
    await sleep(300);
    expect(new Set(got).size).toBe(got.length);
    for (const text of acked) expect(got).toContain(text);
    expect(acked.length).toBeGreaterThan(60);
    // Alice's session went on: resumed on the survivor (a new connection to the same session),
    // within the interruption a 1.x client rides out silently, so the app saw no state change.
    const after = await survivor.core.sessions.get(APP_ID, 'alice');
    expect(after?.sessionId).toBe(before?.sessionId);
    expect(after?.connected).toBe(true);
    expect(after?.epoch).toBeGreaterThan(before?.epoch ?? Infinity);
    expect(states).toEqual(['CONNECTING/LOGIN', 'CONNECTED/LOGIN_SUCCESS']);
  });

  it('ends the sessions of a dead node on a survivor: OFFLINE, out of their channels', { timeout: 60_000 }, async () => {
    const killed = await nodeProcess(fleet.keyPrefix);
    child = killed.child;
    const survivor = await fleet.node({ timing: { presenceGraceMs: 1_000 } });
    const carol = fleet.client(`http://127.0.0.1:${killed.port}`);
    await carol.login({ uid: 'carol' });
    await carol.createChannel('room').join();
    const bob = await fleet.user('bob', survivor);
    const room = bob.createChannel('room');
    const left: string[] = [];
    room.on('MemberLeft', (uid) => left.push(uid));
    await room.join();
    const statuses: string[] = [];
    bob.on('PeersOnlineStatusChanged', (s) => statuses.push(String(s['carol'])));
    await bob.subscribePeersOnlineStatus(['carol']);
    await waitFor(() => statuses.includes('ONLINE'), 'carol ONLINE');

    const killedAt = Date.now();
    killed.child.kill('SIGKILL');
    // Noticed after the node timeout (1 s here, the survivor's), then the grace period (1 s).
    await waitFor(() => statuses.at(-1) === 'OFFLINE', 'carol OFFLINE', 15_000);
    const took = Date.now() - killedAt;
    expect(statuses).toContain('UNREACHABLE');
    await waitFor(() => left.includes('carol'), 'carol out of the channel');
    expect(await bob.getChannelMemberCount(['room'])).toEqual({ room: 1 });
    // Bound: node timeout + one heartbeat + grace period + polling, with room for a loaded machine.
    expect(took).toBeLessThan(8_000);
  });
});
