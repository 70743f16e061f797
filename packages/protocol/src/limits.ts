/** A call-frequency limit: at most `count` calls in any sliding window of `windowMs`. */
export interface RateLimit {
  readonly count: number;
  readonly windowMs: number;
}

/**
 * Every limit of the spec (§10, §10.5) in one table. The server enforces these; the client
 * checks the same values before sending. `startServer({ limits })` overrides any of them.
 */
export const DEFAULT_LIMITS = {
  /** uid, peer ID and channel ID: 1–64 characters (§10.1). */
  idMaxLength: 64,
  /** An AccessToken2 is a few hundred characters; anything longer is refused before decoding. */
  tokenMaxLength: 2048,
  /** Text message, or raw message plus description, in UTF-8 bytes (§10.2). */
  messageMaxBytes: 32_768,
  /** Peer and channel messages together, per client (§10.5). */
  messageRate: { count: 180, windowMs: 3_000 },
  /** Fresh logins per user (§10.5: 2 calls/s). Resumed sessions do not count. */
  loginRate: { count: 2, windowMs: 1_000 },
  renewTokenRate: { count: 2, windowMs: 1_000 },
  joinedChannelsMax: 20,
  joinSameChannelRate: { count: 2, windowMs: 5_000 },
  joinDifferentChannelsRate: { count: 50, windowMs: 3_000 },
  getMembersRate: { count: 5, windowMs: 2_000 },
  /** Members returned by `getMembers`; a random subset above this (§10.4). */
  getMembersMax: 512,
  /** Above this many members, `MemberJoined`/`MemberLeft` are not sent (§9.4). */
  memberEventsMaxMembers: 512,
  memberCountChannelsMax: 32,
  memberCountRate: { count: 1, windowMs: 1_000 },
  offlineMessagesPerReceiver: 200,
  /**
   * Distinct receivers one user may leave offline messages for within the window. Not in the
   * spec: 1.x only bounds each receiver's mailbox (200 messages, 7 days, §10.4), so without this
   * a client could fill mailboxes of any number of uids that never log in. Counted per user
   * (app ID + uid), so logging in again does not start a new window. A send over it fails with
   * PEER_MESSAGE_ERR_TOO_OFTEN (5): it is a frequency limit, and apps already handle that code
   * by backing off. Messages to receivers already counted in the window, and to receivers that
   * are online, are not limited by it.
   */
  offlineReceiversRate: { count: 100, windowMs: 60_000 },
  /**
   * Bytes of offline messages one user may have stored for receivers at once (each message counts
   * its size, as the 32 KB rule measures it, plus 256 bytes for what the server keeps with it).
   * Not in the spec: without it one user could park 200 × 32 KB for every receiver it names, for
   * 7 days. Bytes come back as receivers fetch their messages, or as they expire or are evicted.
   * A send over it fails with PEER_MESSAGE_ERR_TOO_OFTEN (5), like the receivers budget: the
   * sender's own budget, which comes back if it waits. Earlier messages are kept.
   */
  offlineBytesPerSender: 8_388_608,
  /**
   * Bytes of offline messages all users of one app may have stored at once (counted as above).
   * A send over it fails with PEER_MESSAGE_ERR_FAILURE (1): the server cannot take the message,
   * through no fault of this sender. Earlier messages are kept.
   */
  offlineBytesPerApp: 134_217_728,
  queryOnlineStatusMaxIds: 256,
  queryOnlineStatusRate: { count: 10, windowMs: 5_000 },
  subscriptionMaxPeers: 512,
  subscribeRate: { count: 10, windowMs: 5_000 },
  unsubscribeRate: { count: 10, windowMs: 5_000 },
  querySubscriptionRate: { count: 10, windowMs: 5_000 },
  attributeKeyMaxBytes: 32,
  attributeValueMaxBytes: 8_192,
  attributesPerCall: 32,
  attributeKeysPerQuery: 32,
  userAttributesMaxBytes: 16_384,
  channelAttributesMaxBytes: 32_768,
  channelAttributesMax: 32,
  userAttributeWriteRate: { count: 10, windowMs: 5_000 },
  userAttributeReadRate: { count: 40, windowMs: 5_000 },
  channelAttributeWriteRate: { count: 10, windowMs: 5_000 },
  channelAttributeReadRate: { count: 10, windowMs: 5_000 },
  invitationContentMaxBytes: 8_192,
  /**
   * Call invitations sent per user, and open (unfinished) invitations per caller session. The spec
   * gives none (§4, §10.5); chosen to bound server memory, since every invitation holds timers for
   * up to 90 s, is remembered 120 s after it ends and is delivered to the callee. 20 per 5 s still
   * lets an app ring a whole group at once. A send over either limit fails at once with
   * `LocalInvitationFailure(UNKNOWN)` (the 1.x `send()` has no error channel).
   */
  invitationSendRate: { count: 20, windowMs: 5_000 },
  openInvitationsPerSession: 32,
  /**
   * Media files: the seeds and docs say 30 MB, the 1.4 runtime checks 32 MiB (§11.3). We take
   * the documented 30 MB (30 × 1024 × 1024 bytes) so nothing the docs promise is refused.
   */
  mediaMaxBytes: 31_457_280,
  /** thumbnail + fileName + description of a media message (§10.2). */
  mediaMetadataMaxBytes: 32_768,
  /**
   * Uploads plus downloads in flight per client (§10.2). The docs say at most 9; the 1.4 runtime
   * already refuses the 9th while 8 are pending (`size >= 9 - 1`, §2.2). We allow the documented
   * 9 and refuse the 10th: an off-by-one in the runtime is nothing an app relies on.
   */
  mediaConcurrentTransfers: 9,
  /**
   * The largest body of one upload request. Uploads travel in chunks so that browsers and Node get
   * real progress and cancellation over plain fetch (see the client's media module); the server
   * reads no more than this per request.
   */
  mediaChunkMaxBytes: 4_194_304,
  /**
   * Uploads one user may start per window. Not in the spec (1.x bounds only uploads in flight),
   * but without it a client could start, fill and finish uploads as fast as its link allows. An
   * upload start over it is refused with UPLOAD_MEDIA_ERR_CONCURRENCY_LIMIT_EXCEEDED (5), HTTP
   * 429: the 1.x code for "too many transfers". Every start that passes the argument checks
   * counts, refused later or not.
   */
  mediaUploadRate: { count: 30, windowMs: 60_000 },
  /**
   * Bytes of media one user may have stored at once: files kept for `mediaTtlMs`, plus the
   * announced size of its uploads in progress. An upload that would pass it is refused at its
   * start with UPLOAD_MEDIA_ERR_SIZE_OVERFLOW (4), HTTP 413. Bytes come back when media expire.
   */
  mediaStoredBytesPerUser: 268_435_456,
  /** Bytes of media all users of one app may have stored at once (counted and refused as above). */
  mediaStoredBytesPerApp: 2_147_483_648,
  /** Channel messages replayed to a member that comes back within the grace period (§9.3). */
  replayMaxMessages: 32,
} as const satisfies Record<string, number | RateLimit>;

type Widen<T> = T extends number ? number : T extends RateLimit ? RateLimit : T;
export type Limits = { -readonly [K in keyof typeof DEFAULT_LIMITS]: Widen<(typeof DEFAULT_LIMITS)[K]> };

export function resolveLimits(overrides: Partial<Limits> = {}): Limits {
  return { ...DEFAULT_LIMITS, ...definedOnly(overrides) };
}

/**
 * Every duration of the spec with its default (§10.6). `startServer({ timing })` overrides any of
 * them, so tests can run the 30 s and 60 s rules in milliseconds.
 */
// Literal numbers only in these tables: a bundler keeps an object whose values are expressions
// (`7 * 24 * 3_600_000`) even when nothing imports it, and the client never reads DEFAULT_TIMING.
export const DEFAULT_TIMING = {
  /** A session whose connection dropped stays logged in this long (§9.1). */
  presenceGraceMs: 30_000,
  /** Silence after which a peer is reported UNREACHABLE (§7.3). */
  unreachableAfterMs: 6_000,
  /** `TokenPrivilegeWillExpire` fires this long before the token expires (§10.6). */
  tokenWillExpireMs: 30_000,
  /** A call invitation to an offline callee is retried this long before PEER_OFFLINE (§4.1). */
  invitationDeliveryMs: 30_000,
  /** An invitation the callee received but nobody answered fails INVITATION_EXPIRE after this. */
  invitationExpireMs: 60_000,
  /** The callee's accept fails ACCEPT_FAILURE when the caller does not confirm it in this time. */
  invitationAcceptAckMs: 5_000,
  /**
   * A finished invitation is remembered this long, so a party that was away (within the grace
   * period) learns the outcome when it reconnects, and a re-used call ID is refused.
   */
  endedInvitationMemoryMs: 120_000,
  /** Channel messages younger than this are replayed after a reconnect (§9.3). */
  channelReplayMs: 30_000,
  /** A channel's attributes are cleared once it has been empty this long (§9.6). */
  emptyChannelAttributesMs: 120_000,
  /** Offline peer messages are kept this long (§10.4). */
  offlineMessageTtlMs: 604_800_000, // 7 days
  /** `MemberCountUpdated` at most once per this period up to 512 members (§9.4). */
  memberCountThrottleMs: 1_000,
  /** ... and once per this period above 512 members. */
  memberCountThrottleLargeMs: 3_000,
  /** Uploaded media are kept this long (§10.2). */
  mediaTtlMs: 604_800_000, // 7 days
  /** An upload that receives no chunk for this long is abandoned and its bytes deleted. */
  mediaUploadIdleMs: 60_000,
  /**
   * A chunk whose body stops arriving for this long is cut off: the upload is abandoned (its slot
   * and bytes released) and the request answered UPLOAD_MEDIA_ERR_TIMEOUT (3), HTTP 408. Without
   * it a stalled request held its slot and part file until the connection closed. The client
   * gives up on a stall after the same 30 s (`mediaStallTimeoutMs`).
   */
  mediaChunkIdleMs: 30_000,
  /** How often expired media and abandoned uploads are swept from storage. */
  mediaSweepIntervalMs: 60_000,
  /** How long the server remembers why a session ended, to tell a client that reconnects late. */
  endedSessionMemoryMs: 86_400_000, // 24 hours
} as const satisfies Record<string, number>;

export type Timing = { -readonly [K in keyof typeof DEFAULT_TIMING]: number };

export function resolveTiming(overrides: Partial<Timing> = {}): Timing {
  return { ...DEFAULT_TIMING, ...definedOnly(overrides) };
}

/**
 * Client-side timeouts (§10.6). Where docs and the shipped Web runtime disagree, the Web runtime
 * wins because apps written for agora-rtm-sdk were tuned against it (§11.4, §11.5).
 */
export const DEFAULT_CLIENT_TIMING = {
  /** Web runtime: 12 s (native docs say 6 s). */
  loginTimeoutMs: 12_000,
  /** Attributes, presence, members and other requests. */
  requestTimeoutMs: 10_000,
  peerMessageTimeoutMs: 10_000,
  channelMessageTimeoutMs: 10_000,
  /** Web runtime: 10 s (native docs say 5 s). */
  joinTimeoutMs: 10_000,
  renewTokenTimeoutMs: 20_000,
  /** A dropped connection that is not back within this time is reported RECONNECTING (§9.1). */
  interruptionMs: 4_000,
  /** A send made while RECONNECTING waits this long for the connection (§9.2, 1.0.1). */
  reconnectWaitMs: 9_000,
  reconnectDelayMs: 500,
  reconnectDelayMaxMs: 5_000,
  /** Minimum spacing of two `login` calls (§10.5, runtime 500 ms). */
  loginMinIntervalMs: 500,
  /** `onOperationProgress` of a media transfer fires about this often (§2.2: once per second). */
  mediaProgressIntervalMs: 1_000,
  /**
   * A media transfer fails with `…_TIMEOUT` when no bytes move for this long. A time limit on the
   * whole transfer would fail a 30 MB file on a slow link, so only a stall counts.
   */
  mediaStallTimeoutMs: 30_000,
} as const satisfies Record<string, number>;

export type ClientTiming = { -readonly [K in keyof typeof DEFAULT_CLIENT_TIMING]: number };

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
