import type { SessionRecord } from './store.js';

/**
 * The sender of a message or attribute write that comes from the server side (an operator's
 * API) rather than from a client: a user ID with no session behind it. Services take it wherever
 * they take a client's session, so such a request passes the same checks, limits, ordering and
 * delivery as a client's; only what needs a live session is different:
 *
 * - budgets (message rate, attribute rates) are counted per sender uid, as if it were one client;
 * - a channel message needs no membership, and reaches every member (`ChannelService.send`);
 * - a peer message is delivered with `from` set to the uid, exactly like a client's.
 *
 * Only server-side code makes one (the admin API); nothing a client sends can produce one, and a
 * client's session is never taken for it (the check is by identity, not by its fields).
 */
export function serverSender(appId: string, uid: string): SessionRecord {
  const sender: SessionRecord = {
    // Keys rate limits and send queues per uid; a UUID session ID never has this form.
    sessionId: `server:${uid}`,
    appId,
    uid,
    startedAt: 0,
    epoch: 0,
    connected: false,
    disconnectedAt: null,
    tokenExpiresAt: null,
    resumeSecret: '',
  };
  SERVER_SENDERS.add(sender);
  return sender;
}

/** Whether `session` was made by `serverSender` (identity, not its fields). */
export function isServerSender(session: SessionRecord): boolean {
  return SERVER_SENDERS.has(session);
}

const SERVER_SENDERS = new WeakSet<SessionRecord>();
