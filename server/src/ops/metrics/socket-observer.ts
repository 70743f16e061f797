import { REQUEST_ERRORS } from '@rtm-kit/protocol';
import type { TypedServer } from '../../binding/types.js';
import type { ServerMetrics } from './server-metrics.js';

/**
 * Measures client traffic from outside the binding: a socket middleware (`socket.use`) runs before
 * every handler and swaps the request's acknowledgement for one that records, when the handler
 * answers, how long it took and how it ended. The binding and the core know nothing of it.
 *
 * Register before the binding's own 'connection' listener, so no packet arrives unobserved.
 */
export function observeSockets(io: TypedServer, metrics: ServerMetrics): void {
  io.on('connection', (socket) => {
    const app = metrics.appLabel(socket.data.appId);
    metrics.sessions.inc({ app });
    socket.once('disconnect', () => metrics.sessions.dec({ app }));
    socket.use((packet, next) => {
      const [event] = packet;
      const ack = packet.at(-1);
      if (typeof event === 'string' && Object.hasOwn(REQUEST_ERRORS, event) && typeof ack === 'function' && packet.length > 1) {
        const started = performance.now();
        packet[packet.length - 1] = (res: unknown) => {
          record(metrics, event, res, (performance.now() - started) / 1000);
          return (ack as (res: unknown) => unknown)(res);
        };
      }
      next();
    });
  });
}

function record(metrics: ServerMetrics, event: string, res: unknown, seconds: number): void {
  const answer = res as { ok?: boolean; data?: { hasPeerReceived?: boolean }; error?: { name?: string } } | null;
  const outcome = answer?.ok === true ? 'ok' : typeof answer?.error?.name === 'string' ? answer.error.name : 'error';
  metrics.requests.observe({ event, outcome }, seconds);
  if (outcome.endsWith('_TOO_OFTEN')) metrics.rateLimited.inc({ event });
  if (event === 'peer:send') {
    const delivered = answer?.data?.hasPeerReceived === true ? 'delivered' : 'not_delivered';
    metrics.messages.inc({ kind: 'peer', source: 'client', outcome: outcome === 'ok' ? delivered : outcome });
  } else if (event === 'channel:send') {
    metrics.messages.inc({ kind: 'channel', source: 'client', outcome: outcome === 'ok' ? 'sent' : outcome });
  }
}
