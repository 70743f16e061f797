import type { Store } from '../../core/store.js';
import type { ServerMetrics } from './server-metrics.js';

/**
 * The store with every asynchronous method of every part timed (`rtm_store_operation_duration_seconds`
 * labelled by store kind, part and method). A Proxy, so a store with parts or methods this server
 * does not know of (a newer Redis store) is timed too, and the core sees the same object shape.
 */
export function timedStore(store: Store, kind: string, metrics: ServerMetrics): Store {
  const parts = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string') return value;
      if (typeof value === 'function') {
        // `close` and `ping` of the store itself, bound so private fields keep working.
        return (value as (...a: unknown[]) => unknown).bind(target);
      }
      if (typeof value !== 'object' || value === null) return value;
      let part = parts.get(property);
      if (part === undefined) {
        part = timedPart(value, kind, property, metrics);
        parts.set(property, part);
      }
      return part;
    },
  });
}

function timedPart(part: object, kind: string, name: string, metrics: ServerMetrics): object {
  const methods = new Map<PropertyKey, unknown>();
  return new Proxy(part, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      let timed = methods.get(property);
      if (timed === undefined) {
        const method = value as (...a: unknown[]) => unknown;
        const labels = { store: kind, part: name, method: property };
        timed = (...args: unknown[]) => {
          const started = performance.now();
          const result = method.apply(target, args);
          if (!(result instanceof Promise)) return result;
          return result.then(
            (settled: unknown) => {
              metrics.storeOperations.observe({ ...labels, outcome: 'ok' }, (performance.now() - started) / 1000);
              return settled;
            },
            (error: unknown) => {
              metrics.storeOperations.observe({ ...labels, outcome: 'error' }, (performance.now() - started) / 1000);
              throw error;
            },
          );
        };
        methods.set(property, timed);
      }
      return timed;
    },
  });
}
