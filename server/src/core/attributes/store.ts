import type { AttributeEntry } from '@rtm-kit/protocol';

/**
 * The store parts of the attributes domain. Every write is one method that validates the
 * resulting set and applies it at once, so two writers racing never lose an update or leave a
 * torn map; a Redis implementation makes each one a script.
 */

/** One write to an attribute set (§2.4, §2.5). */
export type AttributeWrite =
  | { readonly kind: 'set'; readonly entries: readonly AttributeEntry[] }
  | { readonly kind: 'addOrUpdate'; readonly entries: readonly AttributeEntry[] }
  | { readonly kind: 'delete'; readonly keys: readonly string[] }
  | { readonly kind: 'clear' };

/** What a stored set may hold after a write; checked by the store on the result. */
export interface StoredAttributeCaps {
  readonly maxCount: number;
  /** Keys plus values, UTF-8 bytes. */
  readonly maxBytes: number;
}

export type UserAttributeWriteResult =
  | { readonly ok: true }
  /** NO_SESSION: the set belongs to another session, or the session is over. */
  | { readonly ok: false; readonly reason: 'NO_SESSION' | 'SIZE_OVERFLOW' };

/**
 * User attributes. A user's set belongs to one session: it is opened empty when the session
 * starts and dropped when it ends (§2.4 "cleared when you log out"), and only the owning session
 * can write it, so a write still in flight from an ended session can never resurrect a set.
 */
export interface UserAttributeStore {
  /** Make an empty set owned by `sessionId` the user's set, replacing any other. */
  openUserAttributes(appId: string, uid: string, sessionId: string): Promise<void>;
  /** Apply `write` if `sessionId` owns the user's set and the result stays within `caps`. */
  writeUserAttributes(
    appId: string,
    uid: string,
    sessionId: string,
    write: AttributeWrite,
    caps: StoredAttributeCaps,
  ): Promise<UserAttributeWriteResult>;
  /** The user's attributes (all, or those of `keys` that exist); empty without a session. */
  getUserAttributes(appId: string, uid: string, keys: readonly string[] | null): Promise<AttributeEntry[]>;
  /** Drop the user's set if `sessionId` owns it. */
  closeUserAttributes(appId: string, uid: string, sessionId: string): Promise<void>;
}

/** A stored channel attribute with who wrote it last, and when (§2.5). */
export interface StoredChannelAttribute {
  readonly key: string;
  readonly value: string;
  readonly lastUpdateUserId: string;
  readonly lastUpdateTs: number;
}

export type ChannelAttributeWriteResult =
  | {
      readonly ok: true;
      /** From one counter per app, increased by every write. */
      readonly revision: number;
      /** The channel's whole map after the write. */
      readonly attributes: readonly StoredChannelAttribute[];
      /** Since when the channel has been empty, or null while it has members. */
      readonly emptySince: number | null;
    }
  | { readonly ok: false; readonly reason: 'SIZE_OVERFLOW' };

/**
 * Channel attributes, which live without membership (§2.5) until the channel has been empty for
 * a while (§9.6). The store keeps, with each channel's attributes, since when the channel has
 * been empty, so clearing an empty channel is one conditional step.
 */
export interface ChannelAttributeStore {
  /**
   * Apply `write` by `by.uid` at `by.at` if the result stays within `caps`. A channel without
   * attributes so far records `emptySince` (null when it has members); one that has them keeps
   * its own. A channel left with no attributes is forgotten.
   */
  writeChannelAttributes(
    appId: string,
    channelId: string,
    write: AttributeWrite,
    by: { readonly uid: string; readonly at: number },
    caps: StoredAttributeCaps,
    emptySince: number | null,
  ): Promise<ChannelAttributeWriteResult>;
  /** The channel's attributes (all, or those of `keys` that exist). */
  getChannelAttributes(appId: string, channelId: string, keys: readonly string[] | null): Promise<StoredChannelAttribute[]>;
  /**
   * Record that the channel has been empty since `since`, or has members (null). Returns false
   * when the channel has no attributes (nothing to track).
   */
  markChannelEmpty(appId: string, channelId: string, since: number | null): Promise<boolean>;
  /** Clear the channel's attributes if it has been empty since `emptyBy` or earlier. */
  expireChannelAttributes(appId: string, channelId: string, emptyBy: number): Promise<boolean>;
}
