import { REQUEST_ERRORS } from '@rtm-kit/protocol';
import type { TypedServer } from '../../binding/types.js';
import type { ServerMetrics } from './server-metrics.js';

/**
 * Measures client traffic from outside the binding, on the wire: each logged-in connection's
 * incoming request packets (socket.io protocol 5: `2` EVENT / `5` BINARY_EVENT with an ack id)
 * and the acknowledgements it sends back (`3` ACK / `6` BINARY_ACK with the same id) give each
 * request's time and outcome. The binding and the core know nothing of it; only the head of each
 * packet is read (the event name, the id, and the start of the answer for `ok` and an error name).
 *
 * Register before the binding's own 'connection' listener, so no packet arrives unobserved.
 */
export function observeSockets(io: TypedServer, metrics: ServerMetrics): void {
  io.on('connection', (socket) => {
    const app = metrics.appLabel(socket.data.appId);
    metrics.sessions.inc({ app });
    /** Requests in flight on this connection: ack id → event and start. Bounded below. */
    const pending = new Map<number, { event: string; started: number }>();
    const onPacket = (packet: { type: string; data?: unknown }) => {
      if (packet.type !== 'message' || typeof packet.data !== 'string') return;
      const head = REQUEST_HEAD.exec(packet.data.slice(0, 200));
      if (!head) return;
      const event = head[2] as string;
      if (!Object.hasOwn(REQUEST_ERRORS, event) || pending.size >= MAX_PENDING) return;
      pending.set(Number(head[1]), { event, started: performance.now() });
    };
    const onPacketCreate = (packet: { type: string; data?: unknown }) => {
      if (packet.type !== 'message' || typeof packet.data !== 'string') return;
      const head = ACK_HEAD.exec(packet.data.slice(0, 300));
      if (!head) return;
      const id = Number(head[1]);
      const request = pending.get(id);
      if (!request) return;
      pending.delete(id);
      record(metrics, request.event, head[2] as string, (performance.now() - request.started) / 1000);
    };
    socket.conn.on('packet', onPacket);
    socket.conn.on('packetCreate', onPacketCreate);
    socket.once('disconnect', () => {
      metrics.sessions.dec({ app });
      socket.conn.off('packet', onPacket);
      socket.conn.off('packetCreate', onPacketCreate);
      pending.clear();
    });
  });
}

/** A request on the main namespace: `2<id>["event"` or `5<n>-<id>["event"` (binary). */
const REQUEST_HEAD = /^(?:2|5\d+-)(\d+)\["([^"\\]{1,64})"/;
/** Its acknowledgement: `3<id>[answer` or `6<n>-<id>[answer`. */
const ACK_HEAD = /^(?:3|6\d+-)(\d+)\[(.*)$/s;
/** Past this many unanswered requests on one connection, new ones go unmeasured. */
const MAX_PENDING = 1_000;

function record(metrics: ServerMetrics, event: string, answer: string, seconds: number): void {
  const ok = answer.startsWith('{"ok":true');
  const outcome = ok ? 'ok' : (/"name":"([A-Z_]{1,80})"/.exec(answer)?.[1] ?? 'error');
  metrics.requests.observe({ event, outcome }, seconds);
  if (outcome.endsWith('_TOO_OFTEN')) metrics.rateLimited.inc({ event });
  if (event === 'peer:send') {
    const delivered = answer.includes('"hasPeerReceived":true') ? 'delivered' : 'not_delivered';
    metrics.messages.inc({ kind: 'peer', source: 'client', outcome: ok ? delivered : outcome });
  } else if (event === 'channel:send') {
    metrics.messages.inc({ kind: 'channel', source: 'client', outcome: ok ? 'sent' : outcome });
  }
}
