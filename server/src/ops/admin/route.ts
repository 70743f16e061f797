import type { AdminCall, AdminContext, AdminReply } from './context.js';

export type AdminMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One route of the admin API. `path` is the OpenAPI template (`/admin/v1/apps/{appId}/...`): the
 * router matches it and the OpenAPI document lists it, so the two cannot drift apart.
 */
export interface AdminRoute {
  readonly method: AdminMethod;
  readonly path: string;
  readonly summary: string;
  handle(ctx: AdminContext, call: AdminCall): Promise<AdminReply>;
}
