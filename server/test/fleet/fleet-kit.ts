import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach } from 'vitest';
import AgoraRTM, { type RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer, type ServerOptions } from '@rtm-kit/server';
import { deleteKeys } from '../redis/delete-keys.js';
import { redisUrl } from '../redis/redis-available.js';

export const APP_ID = '0123456789abcdef0123456789abcdef';

/**
 * Nodes of one fleet for a test: a key prefix of its own (media in Redis under it), nodes started on
 * demand with fleet timings shortened (heartbeat 200 ms, a node silent 1 s is dead), clients
 * pointed at a chosen node; everything closed, and the prefix's keys deleted, after each test.
 */
export function useFleet(): {
  readonly keyPrefix: string;
  readonly mediaDir: string;
  /** A node of the fleet; `url` reaches the fleet's Redis another way (a relay in front of it). */
  node(options?: ServerOptions, url?: string): Promise<RtmServer>;
  client(node: RtmServer | string): RtmClient;
  user(uid: string, node: RtmServer | string): Promise<RtmClient>;
} {
  let keyPrefix = '';
  let mediaDir = '';
  const nodes: RtmServer[] = [];
  const clients: RtmClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
    await Promise.all(nodes.splice(0).map((n) => n.close()));
    if (mediaDir !== '') await rm(mediaDir, { recursive: true, force: true });
    if (keyPrefix !== '') await deleteKeys(redisUrl, keyPrefix);
    keyPrefix = '';
    mediaDir = '';
  });
  const fleet = {
    get keyPrefix() {
      keyPrefix ||= `rtm-fleet-test:${randomUUID()}:`;
      return keyPrefix;
    },
    /** A directory of the test's own, made when first asked for (nodes keep media in Redis otherwise). */
    get mediaDir() {
      mediaDir ||= mkdtempSync(join(tmpdir(), 'rtm-fleet-'));
      return mediaDir;
    },
    async node(options: ServerOptions = {}, url = redisUrl) {
      // Media live in the fleet's Redis; a test that wants a directory passes `mediaDir`.
      const node = await startServer({
        port: 0,
        logger: false,
        ...options,
        store: { redis: { url, keyPrefix: fleet.keyPrefix, heartbeatMs: 200, nodeTimeoutMs: 1_000, deadlinePollMs: 20 } },
      });
      nodes.push(node);
      return node;
    },
    client(node: RtmServer | string) {
      const c = AgoraRTM.createInstance(APP_ID, { serverUrl: typeof node === 'string' ? node : node.url, logFilter: AgoraRTM.LOG_FILTER_OFF });
      clients.push(c);
      return c;
    },
    async user(uid: string, node: RtmServer | string) {
      const c = fleet.client(node);
      await c.login({ uid });
      return c;
    },
  };
  return fleet;
}


/** A load balancer in miniature: forwards each new TCP connection to the node `target` names. */
export function balancer(): Promise<{ url: string; target: { port: number }; close(): void }> {
  const target = { port: 0 };
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const outbound = connect(target.port, '127.0.0.1');
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        sockets.delete(s);
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        target,
        close() {
          for (const s of sockets) s.destroy();
          server.close();
        },
      });
    }),
  );
}

