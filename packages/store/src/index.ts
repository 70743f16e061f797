export { createRtmStore } from './create-store.js';
export type { RtmStore } from './create-store.js';
export type { RtmState } from './state.js';
export type { RtmStoreOptions } from './slice.js';
export { Leases } from './leases.js';
export type { LeaseHandlers } from './leases.js';
export type { MessageItem, PeerMessageItem, MessageStatus, MessageInput } from './messages.js';
export type { ConnectionInfo, ConnectionSlice, SessionRequest, TokenSource } from './slices/connection.js';
export type { ChannelEntry, ChannelStatus, ChannelsSlice } from './slices/channels.js';
export { ANY_PEER } from './slices/conversations.js';
export type { Conversation, ConversationsSlice } from './slices/conversations.js';
export type { PresenceSlice } from './slices/presence.js';
export type { MemberCountsSlice } from './slices/member-counts.js';
export type { AttributesStatus, ChannelAttributesEntry, ChannelAttributesSlice } from './slices/channel-attributes.js';
export type { UserAttributesEntry, UserAttributesSlice } from './slices/user-attributes.js';
export type { CallOptions, IncomingInvitation, InvitationsSlice, OutgoingInvitation } from './slices/invitations.js';
export type { MediaSlice, MediaTransfer, MediaUploadOptions, TransferStatus } from './slices/media.js';
export type {
  AttributesMap,
  ChannelAttributeOptions,
  ChannelAttributeProperties,
  ChannelAttributes,
  MediaUploadParams,
  ReceivedMessageProperties,
  RtmFileMessage,
  RtmImageMessage,
  RtmMessage,
  RtmRawMessage,
  RtmTextMessage,
  SendMessageOptions,
} from './rtm-api.js';
