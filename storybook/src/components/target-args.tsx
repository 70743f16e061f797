import type { ChatTargetProps } from '@rtm-kit/ui';

/**
 * Story args of a chat part: its props with `channelId` and `peerId` both optional, so a story can
 * switch from one to the other (the props themselves require exactly one).
 */
export type TargetArgs<P> = Omit<P, 'channelId' | 'peerId'> & { channelId?: string | undefined; peerId?: string | undefined };

/** The part's target props from story args: the channel when one is given, else the peer. */
export function targetOf(args: { channelId?: string | undefined; peerId?: string | undefined }): ChatTargetProps {
  if (args.channelId !== undefined) return { channelId: args.channelId };
  if (args.peerId !== undefined) return { peerId: args.peerId };
  throw new Error('A chat story needs a channelId or a peerId.');
}
