'use client';

export { RtmProvider } from './RtmProvider.js';
export type { RtmProviderProps, RtmToken } from './RtmProvider.js';
export { useRtmClient } from './useRtmClient.js';
export { useRtmStore, useRtmStoreApi } from './useRtmStore.js';
export { useConnectionState } from './useConnectionState.js';
export { useChannel } from './useChannel.js';
export type { UseChannelOptions, UseChannelResult } from './useChannel.js';
export { useChannelMembers } from './useChannelMembers.js';
export type { UseChannelMembersResult } from './useChannelMembers.js';
export { usePeerMessages, usePeerMessageListener } from './usePeerMessages.js';
export type { UsePeerMessagesResult } from './usePeerMessages.js';
export { usePeerStatus } from './usePeerStatus.js';
export { useMemberCount } from './useMemberCount.js';
export { useInvitation } from './useInvitation.js';
export type { UseInvitationResult } from './useInvitation.js';
export { useChannelAttributes } from './useChannelAttributes.js';
export type { UseChannelAttributesOptions, UseChannelAttributesResult } from './useChannelAttributes.js';
export { useUserAttributes } from './useUserAttributes.js';
export type { UseUserAttributesResult } from './useUserAttributes.js';
export { useLocalUserAttributes } from './useLocalUserAttributes.js';
export type { UseLocalUserAttributesResult } from './useLocalUserAttributes.js';
export { useMediaTransfers } from './useMediaTransfers.js';
export type { UseMediaTransfersResult } from './useMediaTransfers.js';
export { useRtmEvent } from './useRtmEvent.js';
// Every type an app needs, so it imports from this package alone.
export type {
  AttributesMap,
  AttributesStatus,
  CallOptions,
  ChannelAttributeOptions,
  ChannelAttributeProperties,
  ChannelAttributes,
  ChannelAttributesEntry,
  ChannelEntry,
  ChannelStatus,
  ConnectionChangeReason,
  ConnectionInfo,
  ConnectionState,
  Conversation,
  IncomingInvitation,
  MediaTransfer,
  MediaUploadOptions,
  MediaUploadParams,
  MessageInput,
  MessageItem,
  MessageStatus,
  OutgoingInvitation,
  PeerMessageItem,
  PeerMessageSendResult,
  PeerOnlineState,
  PeersOnlineStatusMap,
  ReceivedMessageProperties,
  RtmChannel,
  RtmClient,
  RtmClientEvents,
  RtmConfig,
  RtmError,
  RtmFileMessage,
  RtmImageMessage,
  RtmMessage,
  RtmRawMessage,
  RtmState,
  RtmStore,
  RtmStoreOptions,
  RtmTextMessage,
  SendMessageOptions,
  SessionRequest,
  TokenSource,
  TransferStatus,
  UserAttributesEntry,
} from '@rtm-kit/store';
