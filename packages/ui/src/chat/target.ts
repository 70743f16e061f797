import type { MessageItem, PeerMessageItem } from '@rtm-kit/react';
import type { RtmStrings } from '../strings.js';

/** What a chat part shows: a channel or a one-to-one conversation, exactly one of them. */
export type ChatTarget =
  | { readonly channelId: string; readonly peerId?: undefined }
  | { readonly peerId: string; readonly channelId?: undefined };

/** The props every connected chat part takes to name its channel or peer. */
export type ChatTargetProps =
  | { readonly channelId: string; readonly peerId?: never }
  | { readonly peerId: string; readonly channelId?: never };

/** A message of either kind; peer messages carry their delivery details. */
export type ChatItem = MessageItem | PeerMessageItem;

/**
 * The target named by a part's props. Naming both or neither is a programming error, reported
 * at once with the part's name rather than rendering a panel for nothing.
 */
export function chatTargetOf(props: { readonly channelId?: string | undefined; readonly peerId?: string | undefined }, part: string): ChatTarget {
  const { channelId, peerId } = props;
  if (channelId !== undefined && peerId === undefined) return { channelId };
  if (peerId !== undefined && channelId === undefined) return { peerId };
  throw new Error(`\`${part}\` needs exactly one of \`channelId\` or \`peerId\`.`);
}

/** A stable string for a target, for effect and memo dependencies. */
export function targetKey(target: ChatTarget): string {
  return target.channelId !== undefined ? `c:${target.channelId}` : `p:${target.peerId}`;
}

export function targetName(target: ChatTarget): string {
  return target.channelId ?? target.peerId;
}

/** The accessible name of the target's message log. */
export function logLabel(target: ChatTarget, strings: RtmStrings): string {
  return target.channelId !== undefined ? strings.messagesIn(target.channelId) : strings.messagesWith(target.peerId);
}
