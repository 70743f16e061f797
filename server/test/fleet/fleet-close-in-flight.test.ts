import { createServer, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { redisAvailable, redisUrl } from '../redis/redis-available.js';
import { useFleet } from './fleet-kit.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A TCP relay in front of Redis that, once armed, stops passing Redis's replies back as soon as
 * a client sends a PUBLISH: that PUBLISH, and whatever follows it, stays unanswered on the wire.
 */
async function stallingRelay(): Promise<{ url: string; arm(): void; readonly stalled: boolean; close(): void }> {
  const target = new URL(redisUrl);
  const sockets = new Set<Socket>();
  let armed = false;
  let stalled = false;
  const server = createServer((inbound) => {
    const outbound = connect(Number(target.port || 6379), target.hostname || '127.0.0.1');
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        sockets.delete(s);
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.on('data', (data: Buffer) => {
      // ioredis writes command names as RESP bulk strings: `$7\r\npublish\r\n`.
      if (armed && /\$7\r\npublish\r\n/i.test(data.toString('latin1'))) stalled = true;
      outbound.write(data);
    });
    outbound.on('data', (data: Buffer) => {
      if (!stalled) inbound.write(data);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}`,
    arm: () => {
      armed = true;
    },
    get stalled() {
      return stalled;
    },
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

describe.runIf(redisAvailable)('a fleet node closed while Redis has not answered', () => {
  const fleet = useFleet();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  let relay: Awaited<ReturnType<typeof stallingRelay>> | null = null;
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
    relay?.close();
    relay = null;
  });

  it("closes without an unhandled rejection, though Redis never answered what it had sent, the commands of the socket.io adapter included", async () => {
    relay = await stallingRelay();
    const a = await fleet.node({}, relay.url);
    const b = await fleet.node();
    const alice = await fleet.user('alice', a);
    await fleet.user('bob', b);
    // Through once: node a knows node b, so its next delivery asks the fleet over PUBLISH.
    await expect(alice.sendMessageToPeer({ text: 'hello' }, 'bob')).resolves.toEqual({ hasPeerReceived: true });

    process.on('unhandledRejection', onUnhandled);
    relay.arm();
    // Its answer never comes (the client times out); what matters is the node it is stuck in.
    void alice.sendMessageToPeer({ text: 'never answered' }, 'bob').catch(() => undefined);
    for (let i = 0; i < 250 && !relay.stalled; i++) await sleep(20);
    expect(relay.stalled).toBe(true);

    await a.close();
    // A rejection is reported as unhandled after the microtasks of its turn: give it a few turns.
    await sleep(100);
    expect(unhandled).toEqual([]);
  });
});
