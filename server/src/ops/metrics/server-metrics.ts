import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Latency buckets (seconds) for requests and store calls: 0.1 ms to 2.5 s. */
const LATENCY_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Distinct app IDs labelled one by one; the rest share `other` (development mode takes any ID). */
const MAX_APP_LABELS = 100;

/**
 * Every series this server exports, on a registry of its own: several servers in one process
 * (tests, an app embedding two) never share or clash. Names follow Prometheus conventions with
 * the `rtm_` prefix, so a Grafana board can select them all at once.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly #apps = new Set<string>();

  readonly connections: Gauge;
  readonly sessions: Gauge<'app'>;
  readonly messages: Counter<'kind' | 'outcome' | 'source'>;
  readonly fanout: Counter<'event'>;
  readonly requests: Histogram<'event' | 'outcome'>;
  readonly rateLimited: Counter<'event'>;
  readonly mediaBytes: Counter<'direction'>;
  readonly storeOperations: Histogram<'store' | 'part' | 'method' | 'outcome'>;
  readonly adminRequests: Counter<'status'>;

  constructor(options: { connections: () => number }) {
    const registers = [this.registry];
    this.connections = new Gauge({
      name: 'rtm_connections',
      help: 'Open socket.io connections on this node (logged in or not).',
      registers,
      collect() {
        this.set(options.connections());
      },
    });
    this.sessions = new Gauge({ name: 'rtm_sessions', help: 'Logged-in connections on this node, per app.', labelNames: ['app'], registers });
    this.messages = new Counter({
      name: 'rtm_messages_total',
      help: 'Peer and channel messages by outcome: delivered / not_delivered (peer), sent (channel), or the 1.x error name.',
      labelNames: ['kind', 'outcome', 'source'],
      registers,
    });
    this.fanout = new Counter({
      name: 'rtm_fanout_deliveries_total',
      help: 'Events written to connections of this node by the core (one per receiving connection).',
      labelNames: ['event'],
      registers,
    });
    this.requests = new Histogram({
      name: 'rtm_request_duration_seconds',
      help: 'Time from a client request to its acknowledgement, per event and outcome (ok or the 1.x error name).',
      labelNames: ['event', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.rateLimited = new Counter({
      name: 'rtm_rate_limited_total',
      help: 'Client requests refused by a rate limit (a *_TOO_OFTEN answer), per event.',
      labelNames: ['event'],
      registers,
    });
    this.mediaBytes = new Counter({
      name: 'rtm_media_bytes_total',
      help: 'Bytes of file and image transfers over HTTP (upload: request bodies, download: responses).',
      labelNames: ['direction'],
      registers,
    });
    this.storeOperations = new Histogram({
      name: 'rtm_store_operation_duration_seconds',
      help: 'Store calls by store kind (memory, redis, custom), part, method and outcome (ok or error).',
      labelNames: ['store', 'part', 'method', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.adminRequests = new Counter({ name: 'rtm_admin_requests_total', help: 'Admin API requests by HTTP status.', labelNames: ['status'], registers });
    // Process CPU, memory, GC and event-loop lag (rtm_nodejs_eventloop_lag_seconds and percentiles).
    collectDefaultMetrics({ register: this.registry, prefix: 'rtm_' });
  }

  /** The `app` label of an app ID, bounded in number. */
  appLabel(appId: string): string {
    if (this.#apps.has(appId)) return appId;
    if (this.#apps.size >= MAX_APP_LABELS) return 'other';
    this.#apps.add(appId);
    return appId;
  }

  /** The exposition text and its content type, for `GET /metrics`. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
