/**
 * Every Redis key the store uses, made here and nowhere else.
 *
 * Keys are namespaced by app: `<prefix>{<appId>}:<part>:...`. The braces are a Redis Cluster hash
 * tag: only the text between them decides a key's slot, so every key of one app lives in one slot
 * and a Lua script may touch any number of an app's keys (a cluster refuses scripts whose keys
 * span slots). The prefix must not contain braces, or it would become the tag; app IDs are 32
 * letters and digits, so the first `}` after the prefix always closes the app's tag, whatever
 * braces a uid or channel ID holds further on.
 *
 * Two keys are not per app: the end of a session is looked up by session ID alone, and the hint
 * that finds apps with expired mailboxes lists every app.
 *
 * Variable parts (uids, channel IDs, message and call IDs) may contain `:`, so `%` and `:` are
 * escaped in them (`segment`), which keeps each key unambiguous. Scripts that find keys they
 * could not be handed (the channels a session is in, the sessions an invitation concerns) build
 * them with the same rule: `LUA_SEGMENT` below, and the part names passed in from here.
 */

/** Escapes `%` and `:` in a variable key part. */
export function segment(part: string): string {
  return part.replace(/[%:]/g, (c) => (c === '%' ? '%25' : '%3A'));
}

/** `segment` for scripts: `seg(s)`. */
export const LUA_SEGMENT = `
local function seg(s)
  return (string.gsub(s, '[%%:]', { ['%'] = '%25', [':'] = '%3A' }))
end
`;

export class RedisKeys {
  readonly prefix: string;

  constructor(prefix: string) {
    if (/[{}]/.test(prefix)) throw new Error(`A Redis key prefix must not contain braces (they would become the hash tag): ${prefix}`);
    this.prefix = prefix;
  }

  /** What every key of the app starts with, hash tag included. */
  app(appId: string): string {
    return `${this.prefix}{${appId}}:`;
  }

  /** A key of another part of the server, in the app's slot: `<prefix>{<appId>}:<part>:<rest>`. */
  part(appId: string, part: string, ...rest: string[]): string {
    return [this.app(appId) + part, ...rest.map(segment)].join(':');
  }

  // Sessions.
  session(appId: string, uid: string): string {
    return this.app(appId) + SESSION_RECORD + segment(uid);
  }
  /** The uids with a session, in one sorted set (all scores 0: ordered by uid). */
  sessionIndex(appId: string): string {
    return `${this.app(appId)}sessions`;
  }
  /** Not per app: `getEndedSession` knows only the session ID. */
  endedSession(sessionId: string): string {
    return `${this.prefix}session-ended:${segment(sessionId)}`;
  }

  // Held peer messages.
  /** Mailbox keys of a receiver are this plus `MAILBOX_SUFFIX`. */
  mailbox(appId: string, receiver: string): string {
    return this.mailboxBase(appId) + segment(receiver);
  }
  mailboxBase(appId: string): string {
    return `${this.app(appId)}peer:box:`;
  }
  /** Every mailbox of the app, by when its last message expires. */
  mailboxes(appId: string): string {
    return `${this.app(appId)}peer:boxes`;
  }
  senderBytes(appId: string): string {
    return `${this.app(appId)}peer:sender-bytes`;
  }
  appBytes(appId: string): string {
    return `${this.app(appId)}peer:app-bytes`;
  }
  /** Receiver → the offline bytes per sender in its mailbox. */
  mailboxBytes(appId: string): string {
    return `${this.app(appId)}peer:box-bytes`;
  }
  /** Not per app: each app with mailboxes, by when its first mailbox expires. */
  mailboxApps(): string {
    return `${this.prefix}peer:apps`;
  }

  // The send ledger.
  sendLedger(appId: string, sender: string, id: string): string {
    return this.part(appId, 'ledger', sender, id);
  }

  // Channels.
  /** Channel keys are this plus `CHANNEL_SUFFIX`. */
  channel(appId: string, channelId: string): string {
    return this.part(appId, 'channel', channelId);
  }
  /** The session a user's joined channels belong to, and the channels. */
  joinedSession(appId: string, uid: string): string {
    return `${this.part(appId, 'joined', uid)}:session`;
  }
  joinedChannels(appId: string, uid: string): string {
    return `${this.part(appId, 'joined', uid)}:channels`;
  }

  // Attributes.
  userAttributes(appId: string, uid: string): string {
    return this.part(appId, 'user-attrs', uid);
  }
  channelAttributes(appId: string, channelId: string): string {
    return this.part(appId, 'channel-attrs', channelId);
  }
  channelAttributeRevision(appId: string): string {
    return `${this.app(appId)}channel-attrs-revision`;
  }

  // Presence.
  presence(appId: string, uid: string): string {
    return this.part(appId, 'presence', uid);
  }
  presenceVersion(appId: string): string {
    return `${this.app(appId)}presence-version`;
  }
  subscriptions(appId: string, sessionId: string): string {
    return this.part(appId, 'subscriptions', sessionId);
  }

  // Invitations; index keys are `app(appId) + INVITATION_INDEX.<kind> + segment(id)`.
  invitation(appId: string, callId: string): string {
    return this.app(appId) + INVITATION_RECORD + segment(callId);
  }
  invitationIndex(appId: string, kind: keyof typeof INVITATION_INDEX, id: string): string {
    return this.app(appId) + INVITATION_INDEX[kind] + segment(id);
  }

  // Media. Per app: records, bytes, uploads and the byte tallies; `mediaBase(appId) +
  // MEDIA_PART.<kind> + id` is a record's or upload's key (scripts that sweep build them so).
  mediaBase(appId: string): string {
    return `${this.app(appId)}media:`;
  }
  media(appId: string, kind: keyof typeof MEDIA_PART, id: string): string {
    return this.mediaBase(appId) + MEDIA_PART[kind] + segment(id);
  }
  /** Every stored file and upload of the app that counts against its quotas, by when it lapses. */
  mediaHoldings(appId: string): string {
    return `${this.mediaBase(appId)}holdings`;
  }
  /** Holding ID → its kind, size and uid, for releasing its bytes exactly once. */
  mediaHeld(appId: string): string {
    return `${this.mediaBase(appId)}held`;
  }
  /** uid → bytes held. */
  mediaUserBytes(appId: string): string {
    return `${this.mediaBase(appId)}user-bytes`;
  }
  mediaAppBytes(appId: string): string {
    return `${this.mediaBase(appId)}app-bytes`;
  }
  /** Not per app: which app a media or upload ID belongs to (the port looks them up by ID alone). */
  mediaOwner(id: string): string {
    return `${this.prefix}media-app:${segment(id)}`;
  }
  /** Not per app: `<appId>:<mediaId>` of all stored media, by expiry. */
  mediaExpiry(): string {
    return `${this.prefix}media-expiry`;
  }
  /** Not per app: `<appId>:<uploadId>` of all uploads in progress, by start. */
  mediaUploads(): string {
    return `${this.prefix}media-uploads`;
  }

  /** A SCAN pattern matching every key under the prefix. */
  pattern(): string {
    return `${this.prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*`;
  }
}

/** A user's session is `app(appId) + SESSION_RECORD + segment(uid)`. */
export const SESSION_RECORD = 'session:';

/** The keys of one mailbox: ids oldest first (list), id → metadata, id → message. */
export const MAILBOX_SUFFIX = { order: ':order', items: ':items', bodies: ':bodies' } as const;

/** The keys of one channel: uid → membership, its message counter, its replay buffer. */
export const CHANNEL_SUFFIX = { members: ':members', seq: ':seq', replay: ':replay' } as const;

/** An invitation is `app(appId) + INVITATION_RECORD + segment(callId)`. */
export const INVITATION_RECORD = 'invitation:';

/** Sets of open invitations: of a session (sent or fixed as callee), sent by a session, pending to a uid. */
export const INVITATION_INDEX = {
  session: 'invitations:session:',
  caller: 'invitations:caller:',
  pending: 'invitations:pending:',
} as const;

/** The per-ID media keys of an app: `mediaBase(appId) + MEDIA_PART.<kind> + segment(id)`. */
export const MEDIA_PART = {
  record: 'record:',
  bytes: 'bytes:',
  upload: 'upload:',
  uploadBytes: 'upload-bytes:',
  staging: 'staging:',
} as const;
