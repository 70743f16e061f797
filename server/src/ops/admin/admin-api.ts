import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorCodeName } from '@rtm-kit/protocol';
import type { Logger } from '../../binding/requests.js';
import { CoreError, NotFoundError } from '../../core/errors.js';
import { randomId, sameSecret } from '../../core/secrets.js';
import { requestPath } from '../../http/request-path.js';
import { logEvent } from '../logging/log-event.js';
import { attributeRoutes } from './attributes.js';
import { listingRoutes } from './channels-sessions.js';
import type { AdminCall, AdminContext } from './context.js';
import { AdminError, readJsonBody, sendError, sendJson } from './http-io.js';
import { messageRoutes } from './messages.js';
import { openApiDocument } from './openapi.js';
import type { AdminRoute } from './route.js';
import { userRoutes } from './users.js';

/** Every route of the admin API; the OpenAPI document is built from the same list. */
export const ADMIN_ROUTES: readonly AdminRoute[] = [...messageRoutes, ...userRoutes, ...listingRoutes, ...attributeRoutes];

export const ADMIN_PREFIX = '/admin/v1';
export const OPENAPI_PATH = `${ADMIN_PREFIX}/openapi.json`;

export interface AdminApi {
  /** Answers a request under `/admin/v1`; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

/**
 * The operator's HTTP API on the server's port: bearer-token authentication (compared in constant
 * time), JSON in and out, every action through the core. `/admin/v1/openapi.json` describes it
 * and is the one path served without the token (it holds no data).
 */
export function createAdminApi(token: string, ctx: AdminContext, log: Logger): AdminApi {
  if (token.length < 16) throw new RangeError('The admin token must be at least 16 characters.');
  const document = JSON.stringify(openApiDocument(ADMIN_ROUTES));
  const expected = `Bearer ${token}`;
  return {
    handle(req, res) {
      const path = requestPath(req.url);
      if (path === null || (path !== ADMIN_PREFIX && !path.startsWith(`${ADMIN_PREFIX}/`))) return false;
      if (path === OPENAPI_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(document);
        return true;
      }
      const started = performance.now();
      const requestId = randomId();
      res.setHeader('x-request-id', requestId);
      const finish = (route: string, appId: string | null, status: number) =>
        logEvent(log, status >= 500 ? 'error' : 'info', {
          requestId,
          method: req.method ?? '',
          route,
          appId,
          status,
          ms: Math.round(performance.now() - started),
        }, 'admin request');
      if (!sameSecret(req.headers.authorization, expected)) {
        // Drain nothing: an unauthenticated body is never read.
        res.setHeader('connection', 'close');
        sendError(res, new AdminError(401, 'UNAUTHORIZED', 'Send the admin token: Authorization: Bearer <token>.', { 'www-authenticate': 'Bearer' }));
        finish('-', null, 401);
        return true;
      }
      const found = match(req.method ?? '', path);
      if ('error' in found) {
        sendError(res, found.error);
        finish('-', null, found.error.status);
        return true;
      }
      const { route, params } = found;
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      let body: Promise<unknown> | null = null;
      const call: AdminCall = { params, query, body: () => (body ??= readJsonBody(req)) };
      route
        .handle(ctx, call)
        .then(
          (reply) => {
            const status = reply.status ?? 200;
            sendJson(res, status, reply.body);
            return status;
          },
          (error: unknown) => {
            const failure = toAdminError(error);
            if (failure.status >= 500) log.error(`admin ${route.method} ${route.path} failed`, error);
            sendError(res, failure);
            return failure.status;
          },
        )
        .then((status) => finish(`${route.method} ${route.path}`, params['appId'] ?? null, status))
        .catch((error: unknown) => log.error('answering an admin request failed', error));
      return true;
    },
  };
}

type Match = { route: AdminRoute; params: Record<string, string> } | { error: AdminError };

function match(method: string, path: string): Match {
  const segments = path.split('/');
  const allowed: string[] = [];
  for (const route of ADMIN_ROUTES) {
    const params = matchPath(route.path.split('/'), segments);
    if (params === undefined) continue;
    if (params === null) return { error: new AdminError(400, 'INVALID_ARGUMENT', 'The path holds an invalid percent-encoding.') };
    if (route.method === method) return { route, params };
    allowed.push(route.method);
  }
  if (allowed.length === 0) return { error: new AdminError(404, 'NOT_FOUND', `No admin route ${path}; see ${OPENAPI_PATH}.`) };
  return { error: new AdminError(405, 'METHOD_NOT_ALLOWED', `${path} takes ${allowed.join(', ')}.`, { allow: allowed.join(', ') }) };
}

/** The template's parameters, undefined when the path does not match, null when one cannot be decoded. */
function matchPath(template: readonly string[], segments: readonly string[]): Record<string, string> | null | undefined {
  if (template.length !== segments.length) return undefined;
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  let undecodable = false;
  for (let i = 0; i < template.length; i++) {
    const t = template[i] as string;
    const s = segments[i] as string;
    if (t.startsWith('{') && t.endsWith('}')) {
      if (s === '') return undefined;
      try {
        params[t.slice(1, -1)] = decodeURIComponent(s);
      } catch {
        undecodable = true;
      }
    } else if (t !== s) {
      return undefined;
    }
  }
  return undecodable ? null : params;
}

/**
 * A core refusal keeps its 1.x code; the status says what kind it is: 429 for a rate limit, 404
 * for something that is not there (no session, no upload, not a member), 400 for the rest.
 */
function toAdminError(error: unknown): AdminError {
  if (error instanceof AdminError) return error;
  if (error instanceof CoreError) {
    const name: ErrorCodeName = error.codeName;
    const status =
      name.endsWith('_TOO_OFTEN') ? 429 : error instanceof NotFoundError || name.endsWith('_NOT_LOGGED_IN') || name.endsWith('_NOT_IN_CHANNEL') ? 404 : 400;
    return AdminError.spec(status, name, error.message);
  }
  return new AdminError(500, 'INTERNAL', 'The server could not complete the request; see its log.');
}
