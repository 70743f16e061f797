import type { Request } from '../ack.js';
import type { AttributeEntry } from '../attributes.js';
import type { RequestErrorCodes } from './request-errors.js';

/**
 * One channel attribute on the wire (§2.5 `ChannelAttributeProperties` plus its key): who wrote
 * it last and when, in server time (ms since the epoch).
 */
export interface ChannelAttributeWire {
  readonly key: string;
  readonly value: string;
  readonly lastUpdateUserId: string;
  readonly lastUpdateTs: number;
}

/** Write requests on a channel carry the channel and whether members hear about it (§2.5). */
interface ChannelWrite {
  readonly channelId: string;
  /** `enableNotificationToChannelMembers` of this call only. */
  readonly notify: boolean;
}

/** `attributes:channelUpdated`: the whole map after a write that asked to notify members. */
export interface ChannelAttributesUpdate {
  readonly channelId: string;
  /**
   * Increases with every write to any channel of the app; a member keeps the highest it has seen
   * per channel and drops older updates, so two writers racing cannot leave it on a stale map.
   */
  readonly revision: number;
  readonly attributes: readonly ChannelAttributeWire[];
}

/**
 * Requests of the attributes domain (`attributes:*`). User attributes always belong to the
 * caller's session (the uid comes from the session, never the payload); anyone's can be read.
 * Channel attributes need no membership (§2.5).
 */
export interface AttributesClientEvents {
  'attributes:setUser': Request<{ readonly attributes: readonly AttributeEntry[] }, null>;
  'attributes:addOrUpdateUser': Request<{ readonly attributes: readonly AttributeEntry[] }, null>;
  'attributes:deleteUser': Request<{ readonly keys: readonly string[] }, null>;
  'attributes:clearUser': Request<Record<string, never>, null>;
  /** `keys: null` reads every attribute. */
  'attributes:getUser': Request<
    { readonly uid: string; readonly keys: readonly string[] | null },
    { readonly attributes: readonly AttributeEntry[] }
  >;
  'attributes:setChannel': Request<ChannelWrite & { readonly attributes: readonly AttributeEntry[] }, null>;
  'attributes:addOrUpdateChannel': Request<ChannelWrite & { readonly attributes: readonly AttributeEntry[] }, null>;
  'attributes:deleteChannel': Request<ChannelWrite & { readonly keys: readonly string[] }, null>;
  'attributes:clearChannel': Request<ChannelWrite, null>;
  /** `keys: null` reads every attribute. */
  'attributes:getChannel': Request<
    { readonly channelId: string; readonly keys: readonly string[] | null },
    { readonly attributes: readonly ChannelAttributeWire[] }
  >;
}

/** Events the server sends in the attributes domain. */
export interface AttributesServerEvents {
  /** To the members of a channel when a writer set `enableNotificationToChannelMembers`. */
  'attributes:channelUpdated': (update: ChannelAttributesUpdate) => void;
}

const ATTRIBUTE_ERRORS: RequestErrorCodes = {
  invalid: 'ATTRIBUTE_OPERATION_ERR_INVALID_ARGUMENT',
  failure: 'ATTRIBUTE_OPERATION_ERR_FAILURE',
  notLoggedIn: 'ATTRIBUTE_OPERATION_ERR_USER_NOT_LOGGED_IN',
  timeout: 'ATTRIBUTE_OPERATION_ERR_TIMEOUT',
};

export const ATTRIBUTES_REQUEST_ERRORS: { readonly [E in keyof AttributesClientEvents]: RequestErrorCodes } = {
  'attributes:setUser': ATTRIBUTE_ERRORS,
  'attributes:addOrUpdateUser': ATTRIBUTE_ERRORS,
  'attributes:deleteUser': ATTRIBUTE_ERRORS,
  'attributes:clearUser': ATTRIBUTE_ERRORS,
  'attributes:getUser': ATTRIBUTE_ERRORS,
  'attributes:setChannel': ATTRIBUTE_ERRORS,
  'attributes:addOrUpdateChannel': ATTRIBUTE_ERRORS,
  'attributes:deleteChannel': ATTRIBUTE_ERRORS,
  'attributes:clearChannel': ATTRIBUTE_ERRORS,
  'attributes:getChannel': ATTRIBUTE_ERRORS,
};
