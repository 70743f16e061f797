import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../binding/requests.js';
import { requestPath } from '../http/request-path.js';
import { createAdminApi, type AdminApi } from './admin/admin-api.js';
import type { AdminContext } from './admin/context.js';
import type { Readiness } from './health/readiness.js';
import { countMediaBytes } from './metrics/media-bytes.js';
import type { ServerMetrics } from './metrics/server-metrics.js';

export interface OpsHttpOptions {
  readonly readiness: Readiness;
  readonly metrics: ServerMetrics | null;
  readonly admin: { readonly token: string; readonly context: AdminContext } | null;
  readonly log: Logger;
}

/**
 * The operator's HTTP endpoints on the server's port: `/readyz`, `/metrics` (when enabled),
 * `/admin/v1/...` (when a token is set). `handle` answers those and returns false for the rest,
 * counting the bytes of media requests on the way when metrics are on.
 */
export function opsHttp(options: OpsHttpOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { readiness, metrics, log } = options;
  const admin: AdminApi | null = options.admin ? createAdminApi(options.admin.token, options.admin.context, log) : null;
  return (req, res) => {
    const path = requestPath(req.url);
    if (path === '/readyz') {
      void readiness.check().then(
        (state) => {
          const body = state.ready ? 'ok' : state.reason;
          res.writeHead(state.ready ? 200 : 503, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end(body);
        },
        () => res.writeHead(503, { 'content-type': 'text/plain' }).end('not ready'),
      );
      return true;
    }
    if (path === '/metrics' && metrics) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed');
        return true;
      }
      metrics.scrape().then(
        ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body),
        (error: unknown) => {
          log.error('collecting metrics failed', error);
          res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable');
        },
      );
      return true;
    }
    if (admin?.handle(req, res)) {
      if (metrics) res.once('finish', () => metrics.adminRequests.inc({ status: String(res.statusCode) }));
      return true;
    }
    if (metrics && path?.startsWith('/media/')) countMediaBytes(req, res, metrics);
    return false;
  };
}
