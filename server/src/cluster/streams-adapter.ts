import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import type { CoreLog } from '../core/context.js';

export interface StreamsAdapterOptions {
  /** What the adapter's stream and channels are named after (the fleet's key prefix). */
  readonly prefix: string;
  /** Failures nobody waits on; expected ones (while the node closes) are for the caller to drop. */
  readonly log: CoreLog;
}

/**
 * The socket.io adapter of a fleet node: socket.io's Redis streams adapter on `client`, with the
 * failures it leaves unhandled turned into log lines.
 *
 * ioredis rejects a command still waiting for its reply when its connection is closed, as it is
 * when a node stops ("Connection is closed."). Three of the adapter's commands have nobody waiting
 * on them: the PUBLISH of `fetchSockets` and of emits collecting acknowledgements, SUBSCRIBE on
 * its subscriber connection, and the PUBSUB NUMSUB that counts the nodes, whose answer socket.io's
 * emit-with-ack reads without a rejection handler. An unhandled rejection stops a Node process that
 * has no handler of its own, so closing a node while one was on the wire could stop an embedding
 * app's whole process.
 */
export function streamsAdapter(client: Redis, { prefix, log }: StreamsAdapterOptions): ReturnType<typeof createAdapter> {
  const create = createAdapter(logUnawaitedFailures(client, log), {
    streamName: `${prefix}socket.io`,
    channelPrefix: `${prefix}socket.io`,
    // A closing node's reader notices within this time; an idle node reads once per second.
    blockTimeInMs: 1_000,
  });
  // socket.io calls it with `new`: a function, not an arrow.
  return function adapterOf(nsp) {
    const adapter = create(nsp);
    const serverCount = adapter.serverCount.bind(adapter);
    // Unanswered, this node counts itself alone: an emit then waits on its own connections only,
    // and `fetchSockets` returns them (the others could not have been asked either).
    adapter.serverCount = () =>
      serverCount().catch((error: unknown) => {
        log('warn', 'counting the nodes of the fleet failed', error);
        return 1;
      });
    return adapter;
  };
}

/** The commands the adapter sends and never waits on (and their sharded forms). */
const UNAWAITED = ['publish', 'spublish', 'subscribe', 'ssubscribe'] as const;

type Send = (...args: unknown[]) => Promise<unknown>;

/**
 * `client`, and every client duplicated from it (the adapter's reader and subscriber
 * connections), logging a failure of those commands; whoever waits on one still gets its rejection.
 */
function logUnawaitedFailures(client: Redis, log: CoreLog): Redis {
  for (const name of UNAWAITED) {
    const send = client[name] as unknown as Send;
    const observed: Send = (...args) => {
      const reply = send.apply(client, args);
      reply.catch((error: unknown) => log('warn', `redis ${name.toUpperCase()} failed`, error));
      return reply;
    };
    Object.defineProperty(client, name, { value: observed, configurable: true, writable: true });
  }
  const duplicate = client.duplicate.bind(client);
  client.duplicate = (override) => logUnawaitedFailures(duplicate(override), log);
  return client;
}
