import type { AdminRoute } from './route.js';

/**
 * The OpenAPI 3.1 description of the admin API, built from the router's own route list (paths,
 * methods, summaries) plus the bodies and queries below, so every route the router serves is in
 * it and nothing else is.
 */
export function openApiDocument(routes: readonly AdminRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: m[1] === 'appId' ? { type: 'string', pattern: '^[A-Za-z0-9]{32}$' } : { type: 'string', minLength: 1, maxLength: 64 },
    }));
    const queries = (QUERIES[key] ?? []).map(([name, description]) => ({ name, in: 'query', required: false, description, schema: { type: 'string' } }));
    const body = BODIES[key];
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      summary: route.summary,
      operationId: operationId(route),
      parameters: [...pathParams, ...queries],
      ...(body ? { requestBody: { required: route.method !== 'DELETE', content: { 'application/json': { schema: body } } } } : {}),
      responses: {
        '200': { description: 'Done', content: { 'application/json': { schema: { type: 'object' } } } },
        '400': ERROR_RESPONSE('Invalid input: the 1.x error code name and message of the operation'),
        '401': ERROR_RESPONSE('Missing or wrong admin token'),
        '404': ERROR_RESPONSE('Unknown app, route, or a user with no session'),
        '413': ERROR_RESPONSE('Body over 128 KB'),
        '429': ERROR_RESPONSE("Over the operation's rate limit (the same as a client's)"),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'rtm-kit admin API',
      version: '1.0.0',
      description:
        'Operate a running rtm-kit server: send messages as the server, kick and ban users, read online status, members, sessions and attributes. Every call goes through the same checks and limits as a 1.x client.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The token set with RTM_ADMIN_TOKEN or startServer({ admin: { token } }).' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'name', 'message'],
              properties: { code: { type: 'integer' }, name: { type: 'string' }, message: { type: 'string' } },
            },
          },
        },
      },
    },
    paths,
  };
}

function operationId(route: AdminRoute): string {
  const words = route.path
    .replace('/admin/v1/apps/{appId}', '')
    .split(/[/{}-]+/)
    .filter((w) => w !== '');
  return [route.method.toLowerCase(), ...words.map((w) => w[0]!.toUpperCase() + w.slice(1))].join('');
}

function ERROR_RESPONSE(description: string): Record<string, unknown> {
  return { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
}

const FROM = { type: 'string', description: 'The sender uid (default "system"); needs no session.' };
const MESSAGE = {
  text: { type: 'string', description: 'A text message (at most 32 KB of UTF-8).' },
  rawMessage: { type: 'string', contentEncoding: 'base64', description: 'A raw message, base64; instead of text.' },
  description: { type: 'string', description: 'The raw message description.' },
};
const ATTRIBUTES = { type: 'object', additionalProperties: { type: 'string' } };
const CHANNEL_WRITE = {
  type: 'object',
  properties: { attributes: ATTRIBUTES, from: FROM, notify: { type: 'boolean', description: 'Tell the joined members (AttributesUpdated).' } },
};
const KEYS = { type: 'object', properties: { keys: { type: 'array', items: { type: 'string' } } } };

const BODIES: Record<string, Record<string, unknown>> = {
  'POST /admin/v1/apps/{appId}/peer-messages': {
    type: 'object',
    required: ['to'],
    properties: { from: FROM, to: { type: 'string' }, ...MESSAGE, enableOfflineMessaging: { type: 'boolean' } },
  },
  'POST /admin/v1/apps/{appId}/channels/{channelId}/messages': { type: 'object', properties: { from: FROM, ...MESSAGE } },
  'POST /admin/v1/apps/{appId}/users/{uid}/ban': {
    type: 'object',
    required: ['seconds'],
    properties: { seconds: { type: 'integer', minimum: 1, maximum: 2_592_000 } },
  },
  'PUT /admin/v1/apps/{appId}/channels/{channelId}/attributes': CHANNEL_WRITE,
  'PATCH /admin/v1/apps/{appId}/channels/{channelId}/attributes': CHANNEL_WRITE,
  'DELETE /admin/v1/apps/{appId}/channels/{channelId}/attributes': {
    type: 'object',
    properties: { ...KEYS.properties, from: FROM, notify: CHANNEL_WRITE.properties.notify },
  },
  'PUT /admin/v1/apps/{appId}/users/{uid}/attributes': { type: 'object', properties: { attributes: ATTRIBUTES } },
  'PATCH /admin/v1/apps/{appId}/users/{uid}/attributes': { type: 'object', properties: { attributes: ATTRIBUTES } },
  'DELETE /admin/v1/apps/{appId}/users/{uid}/attributes': KEYS,
};

const QUERIES: Record<string, Array<[string, string]>> = {
  'GET /admin/v1/apps/{appId}/users/status': [['uids', 'Comma-separated uids']],
  'GET /admin/v1/apps/{appId}/channels/{channelId}/attributes': [['keys', 'Comma-separated keys (default all)']],
  'GET /admin/v1/apps/{appId}/users/{uid}/attributes': [['keys', 'Comma-separated keys (default all)']],
  'GET /admin/v1/apps/{appId}/sessions': [
    ['limit', 'Page size, 1–1000 (default 100)'],
    ['after', 'The `next` of the previous page'],
  ],
};
