import type { Router } from '../../core/router.js';
import { rooms, type TypedServer } from '../../binding/types.js';
import type { ServerMetrics } from './server-metrics.js';

/**
 * The router with each delivery counted as the number of this node's connections it reaches
 * (`rtm_fanout_deliveries_total` per event). Room sizes are read from the local adapter, so each
 * node counts what it writes itself; a fleet's total is the sum over nodes.
 */
export function countingRouter(router: Router, io: () => TypedServer | null, metrics: ServerMetrics): Router {
  const local = (room: string): number => io()?.of('/').adapter.rooms.get(room)?.size ?? 0;
  const count = (event: string, n: number) => {
    if (n > 0) metrics.fanout.inc({ event }, n);
  };
  return new Proxy(router, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const method = (value as (...a: unknown[]) => unknown).bind(target);
      switch (property) {
        case 'toSession':
        case 'toSessionWithAck':
          return (sessionId: string, ...rest: unknown[]) => {
            const event = property === 'toSession' ? rest[0] : rest[1];
            count(String(event), local(rooms.session(sessionId)));
            return method(sessionId, ...rest);
          };
        case 'toChannel':
          return (appId: string, channelId: string, event: string, ...rest: unknown[]) => {
            count(event, local(rooms.channel(appId, channelId)));
            return method(appId, channelId, event, ...rest);
          };
        case 'toChannelExcept':
          return (appId: string, channelId: string, except: string, event: string, ...rest: unknown[]) => {
            const adapterRooms = io()?.of('/').adapter.rooms;
            const members = adapterRooms?.get(rooms.channel(appId, channelId));
            let excluded = 0;
            // A session has one or two connections (a resume overlapping a half-open one).
            for (const id of adapterRooms?.get(rooms.session(except)) ?? []) if (members?.has(id)) excluded++;
            count(event, (members?.size ?? 0) - excluded);
            return method(appId, channelId, except, event, ...rest);
          };
        case 'toStatusWatchers':
          return (appId: string, uid: string, event: string, ...rest: unknown[]) => {
            count(event, local(rooms.status(appId, uid)));
            return method(appId, uid, event, ...rest);
          };
        default:
          return method;
      }
    },
  });
}
