import type { Limits } from '../limits.js';

/**
 * The most one request can carry, field by field: the payload schemas refuse anything larger with
 * the operation's invalid-argument code before a service sees it.
 *
 * Why bounds apart from `limits`: a refused request must cost far less than an accepted one. The
 * services check the spec's limits item by item (every peer ID against the ID rules, every
 * attribute against its size), so without a bound a client could make the server walk 20 000
 * items for every request it sends, however quickly each is refused. zod checks an array's length
 * before it looks at any item, so a request past its bound costs one comparison.
 *
 * Each bound is the spec's default limit with slack (four times, or more where an older bound was
 * already in place), so a request a little over the limit still gets the spec's own code from the
 * service (`PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW` for 600 peers, say), and an operator can raise a
 * limit without touching the wire. `createCore` refuses limits configured past these bounds
 * (`limitsOverWireBounds`): such a limit could never be reached.
 *
 * Lengths of strings are in UTF-16 code units, the only length a schema can read without work;
 * a string's UTF-8 size is never smaller, so a byte limit below the bound is never cut short.
 */
export const WIRE_BOUNDS = {
  /** uid, peer ID, channel ID (limit 64). */
  id: 256,
  /** Peer IDs of one `queryPeersOnlineStatus` (limit 256). */
  queryPeers: 1_024,
  /** Peer IDs of one subscribe, unsubscribe or restore (limit 512). */
  subscriptionPeers: 2_048,
  /** Key/value pairs of one attribute write (limit 32). */
  attributeEntries: 128,
  /** Keys of one `…ByKeys` call (limit 32). */
  attributeKeys: 128,
  /** One attribute key (limit 32 bytes). */
  attributeKey: 128,
  /** One attribute value (limit 8 KB). */
  attributeValue: 32_768,
  /** Channel IDs of one `getChannelMemberCount` (limit 32). */
  memberCountChannels: 128,
  /** Channels a resuming client names (limit 20 joined channels). */
  resumeChannels: 128,
  /** Text, raw bytes, description, file name or thumbnail of a message (limit 32 KB). */
  messagePart: 131_072,
  /** Invitation content or response (limit 8 KB). */
  invitationText: 32_768,
} as const;

/** Which configured limits a request could never reach because a wire bound is below them. */
export function limitsOverWireBounds(limits: Limits): string[] {
  const B = WIRE_BOUNDS;
  const pairs: Array<[keyof Limits, number, number]> = [
    ['idMaxLength', limits.idMaxLength, B.id],
    ['queryOnlineStatusMaxIds', limits.queryOnlineStatusMaxIds, B.queryPeers],
    ['subscriptionMaxPeers', limits.subscriptionMaxPeers, B.subscriptionPeers],
    ['attributesPerCall', limits.attributesPerCall, B.attributeEntries],
    ['attributeKeysPerQuery', limits.attributeKeysPerQuery, B.attributeKeys],
    ['attributeKeyMaxBytes', limits.attributeKeyMaxBytes, B.attributeKey],
    ['attributeValueMaxBytes', limits.attributeValueMaxBytes, B.attributeValue],
    ['memberCountChannelsMax', limits.memberCountChannelsMax, B.memberCountChannels],
    ['joinedChannelsMax', limits.joinedChannelsMax, B.resumeChannels],
    ['messageMaxBytes', limits.messageMaxBytes, B.messagePart],
    ['mediaMetadataMaxBytes', limits.mediaMetadataMaxBytes, B.messagePart],
    ['invitationContentMaxBytes', limits.invitationContentMaxBytes, B.invitationText],
  ];
  return pairs.filter(([, value, bound]) => value > bound).map(([name, value, bound]) => `limits.${name} is ${value}, above the ${bound} a request can carry`);
}
