/** A message as the admin API takes it: text, or raw bytes with a description. */
export type AdminMessage = { text: string } | { raw: Uint8Array; description?: string };

export interface ChannelAttributeView {
  readonly value: string;
  readonly lastUpdateUserId: string;
  readonly lastUpdateTs: number;
}

export interface SessionView {
  readonly uid: string;
  readonly connected: boolean;
  readonly startedAt: string;
  readonly disconnectedAt: string | null;
  readonly tokenExpiresAt: string | null;
}

/** A refusal of the admin API: HTTP status plus the 1.x code and name when there is one. */
export class AdminApiError extends Error {
  readonly status: number;
  readonly code: number;
  readonly codeName: string;

  constructor(status: number, code: number, codeName: string, message: string) {
    super(message);
    this.name = 'AdminApiError';
    this.status = status;
    this.code = code;
    this.codeName = codeName;
  }
}

/** The admin API of one app (`AdminClient.app(appId)`). */
export interface AdminAppClient {
  kick(uid: string): Promise<{ kicked: boolean }>;
  ban(uid: string, seconds: number): Promise<{ bannedUntil: string; kicked: boolean }>;
  unban(uid: string): Promise<{ unbanned: boolean }>;
  banStatus(uid: string): Promise<{ banned: boolean; bannedUntil: string | null }>;
  sendPeerMessage(options: { from?: string; to: string; enableOfflineMessaging?: boolean } & AdminMessage): Promise<{ hasPeerReceived: boolean }>;
  sendChannelMessage(channelId: string, options: { from?: string } & AdminMessage): Promise<{ members: number }>;
  onlineStatus(uids: readonly string[]): Promise<Record<string, boolean>>;
  channelMembers(channelId: string): Promise<{ members: string[]; count: number }>;
  channelAttributes(channelId: string, keys?: readonly string[]): Promise<Record<string, ChannelAttributeView>>;
  setChannelAttributes(channelId: string, attributes: Record<string, string>, options?: { from?: string; notify?: boolean }): Promise<void>;
  addOrUpdateChannelAttributes(channelId: string, attributes: Record<string, string>, options?: { from?: string; notify?: boolean }): Promise<void>;
  deleteChannelAttributes(channelId: string, keys?: readonly string[], options?: { from?: string; notify?: boolean }): Promise<void>;
  userAttributes(uid: string, keys?: readonly string[]): Promise<Record<string, string>>;
  setUserAttributes(uid: string, attributes: Record<string, string>): Promise<void>;
  addOrUpdateUserAttributes(uid: string, attributes: Record<string, string>): Promise<void>;
  deleteUserAttributes(uid: string, keys?: readonly string[]): Promise<void>;
  sessions(options?: { limit?: number; after?: string }): Promise<{ sessions: SessionView[]; next: string | null }>;
}

export interface AdminClient {
  app(appId: string): AdminAppClient;
}

/**
 * A typed client of a running server's admin API (Node 18+ or any runtime with `fetch`).
 *
 * @example
 * const admin = createAdminClient('http://127.0.0.1:8080', process.env.RTM_ADMIN_TOKEN!);
 * const app = admin.app('0123456789abcdef0123456789abcdef');
 * await app.sendPeerMessage({ from: 'system', to: 'bob', text: 'Maintenance at 10:00' });
 * await app.ban('mallory', 3600);
 */
export function createAdminClient(url: string, token: string): AdminClient {
  const base = url.replace(/\/+$/, '');
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}/admin/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const data = (await res.json().catch(() => null)) as { error?: { code: number; name: string; message: string } } | null;
    if (!res.ok) {
      const error = data?.error;
      throw new AdminApiError(res.status, error?.code ?? 0, error?.name ?? 'HTTP_ERROR', error?.message ?? `HTTP ${res.status}`);
    }
    return data as T;
  };
  const e = encodeURIComponent;
  const list = (items: readonly string[] | undefined) => (items === undefined ? '' : `?keys=${items.map(e).join(',')}`);
  const message = (m: AdminMessage) =>
    'text' in m ? { text: m.text } : { rawMessage: Buffer.from(m.raw).toString('base64'), description: m.description ?? '' };
  return {
    app(appId) {
      const app = `/apps/${e(appId)}`;
      return {
        kick: (uid) => call('POST', `${app}/users/${e(uid)}/kick`),
        ban: (uid, seconds) => call('POST', `${app}/users/${e(uid)}/ban`, { seconds }),
        unban: (uid) => call('DELETE', `${app}/users/${e(uid)}/ban`),
        banStatus: (uid) => call('GET', `${app}/users/${e(uid)}/ban`),
        sendPeerMessage: ({ from, to, enableOfflineMessaging, ...m }) =>
          call('POST', `${app}/peer-messages`, { from, to, enableOfflineMessaging, ...message(m as AdminMessage) }),
        sendChannelMessage: (channelId, { from, ...m }) =>
          call('POST', `${app}/channels/${e(channelId)}/messages`, { from, ...message(m as AdminMessage) }),
        onlineStatus: async (uids) =>
          (await call<{ online: Record<string, boolean> }>('GET', `${app}/users/status?uids=${uids.map(e).join(',')}`)).online,
        channelMembers: (channelId) => call('GET', `${app}/channels/${e(channelId)}/members`),
        channelAttributes: async (channelId, keys) =>
          (await call<{ attributes: Record<string, ChannelAttributeView> }>('GET', `${app}/channels/${e(channelId)}/attributes${list(keys)}`)).attributes,
        setChannelAttributes: async (channelId, attributes, options = {}) => {
          await call('PUT', `${app}/channels/${e(channelId)}/attributes`, { attributes, ...options });
        },
        addOrUpdateChannelAttributes: async (channelId, attributes, options = {}) => {
          await call('PATCH', `${app}/channels/${e(channelId)}/attributes`, { attributes, ...options });
        },
        deleteChannelAttributes: async (channelId, keys, options = {}) => {
          await call('DELETE', `${app}/channels/${e(channelId)}/attributes`, { ...(keys ? { keys } : {}), ...options });
        },
        userAttributes: async (uid, keys) =>
          (await call<{ attributes: Record<string, string> }>('GET', `${app}/users/${e(uid)}/attributes${list(keys)}`)).attributes,
        setUserAttributes: async (uid, attributes) => {
          await call('PUT', `${app}/users/${e(uid)}/attributes`, { attributes });
        },
        addOrUpdateUserAttributes: async (uid, attributes) => {
          await call('PATCH', `${app}/users/${e(uid)}/attributes`, { attributes });
        },
        deleteUserAttributes: async (uid, keys) => {
          await call('DELETE', `${app}/users/${e(uid)}/attributes`, keys ? { keys } : {});
        },
        sessions: (options = {}) => {
          const query = new URLSearchParams();
          if (options.limit !== undefined) query.set('limit', String(options.limit));
          if (options.after !== undefined) query.set('after', options.after);
          const text = query.toString();
          return call('GET', `${app}/sessions${text === '' ? '' : `?${text}`}`);
        },
      };
    },
  };
}
