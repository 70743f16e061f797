import { isValidAppId, isValidId, type ErrorCodeName, type WireMessage } from '@rtm-kit/protocol';
import type { Core } from '../../core/core.js';
import type { BanStore } from './bans.js';
import { AdminError } from './http-io.js';
import { randomId } from '../../core/secrets.js';

/** What admin handlers report besides their answer (the metrics hook of admin-sent messages). */
export interface AdminObserver {
  message?(kind: 'peer' | 'channel', outcome: string): void;
}

/** Everything an admin handler works with. */
export interface AdminContext {
  readonly core: Core;
  readonly bans: BanStore;
  readonly observer: AdminObserver;
  readonly newId: () => string;
}

export function adminContext(core: Core, bans: BanStore, observer: AdminObserver = {}): AdminContext {
  return { core, bans, observer, newId: randomId };
}

/** One admin request, its path parameters decoded. */
export interface AdminCall {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The JSON body (read on first call). */
  body(): Promise<unknown>;
}

/** What a handler answers: a status (200 unless given) and a JSON body. */
export interface AdminReply {
  readonly status?: number;
  readonly body: unknown;
}

/** The uid the admin API acts as when a request names none (reads, attribute writes, messages). */
export const DEFAULT_ADMIN_UID = 'system';

/** The App ID of the path: 32 letters or digits, and configured on this server. */
export function appOf(ctx: AdminContext, call: AdminCall): string {
  const appId = call.params['appId'] ?? '';
  if (!isValidAppId(appId)) throw AdminError.invalid('LOGIN_ERR_INVALID_APP_ID', 'The App ID must be 32 letters or digits.');
  if (!ctx.core.apps.find(appId)) throw new AdminError(404, 'APP_NOT_FOUND', 'This App ID is not configured on the server.');
  return appId;
}

/** A user or channel ID from the path or body, checked with the same rule clients get. */
export function idOf(ctx: AdminContext, value: unknown, codeName: ErrorCodeName, what: string): string {
  if (!isValidId(value, ctx.core.limits.idMaxLength)) {
    throw AdminError.invalid(codeName, `${what} must be 1–${ctx.core.limits.idMaxLength} characters of the allowed set and not "null".`);
  }
  return value;
}

/** A comma-separated query list (`?uids=a,b`), empty entries dropped, at most `max` entries. */
export function listOf(query: URLSearchParams, name: string, max: number, codeName: ErrorCodeName): string[] | null {
  const raw = query.get(name);
  if (raw === null) return null;
  const items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length > max) throw AdminError.invalid(codeName, `At most ${max} entries in "${name}".`);
  return items;
}

/**
 * The message of a send request: `text`, or `rawMessage` (base64) with an optional
 * `description`. Sizes are the core's to check, with the same limits as a client's message.
 */
export function messageOf(body: Record<string, unknown>, codeName: ErrorCodeName): WireMessage {
  const { text, rawMessage, description } = body;
  if (typeof text === 'string' && rawMessage === undefined) return { type: 'TEXT', text };
  if (typeof rawMessage === 'string' && text === undefined) {
    if (description !== undefined && typeof description !== 'string') throw AdminError.invalid(codeName, '"description" must be a string.');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(rawMessage)) throw AdminError.invalid(codeName, '"rawMessage" must be base64.');
    return { type: 'RAW', raw: new Uint8Array(Buffer.from(rawMessage, 'base64')), description: description ?? '' };
  }
  throw AdminError.invalid(codeName, 'Give the message as "text" (a string), or as "rawMessage" (base64) with an optional "description".');
}

/** An optional boolean field; absent is `fallback`. */
export function flagOf(value: unknown, fallback: boolean, name: string, codeName: ErrorCodeName): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw AdminError.invalid(codeName, `"${name}" must be true or false.`);
  return value;
}
