export { defaultChatStrings } from './strings.js';
export type { ChatStrings } from './strings.js';

// Styled parts (each connected to the store; inside <RtmProvider>).
export { ChatPanel } from './ChatPanel.js';
export type { ChatPanelProps } from './ChatPanel.js';
export { MessageList } from './MessageList.js';
export type { MessageListProps } from './MessageList.js';
export { Composer } from './Composer.js';
export type { ComposerProps } from './Composer.js';
export { MemberList } from './MemberList.js';
export type { MemberListProps } from './MemberList.js';
export { ChannelHeader, ChannelTopic, PeerHeader, DEFAULT_TOPIC_KEY } from './ChatHeader.js';
export type { ChannelHeaderProps, ChannelTopicProps, PeerHeaderProps } from './ChatHeader.js';
export { PresenceDot, presenceStateOf } from './PresenceDot.js';
export type { PeerOnlineState, PresenceDotProps, PresenceState } from './PresenceDot.js';
export { AttachmentTray } from './AttachmentTray.js';
export type { AttachmentTrayProps } from './AttachmentTray.js';

// Presentational parts (plain data, no store needed for text messages).
export { MessageListView } from './MessageListView.js';
export type { MessageListViewProps } from './MessageListView.js';
export { ChatMessage, DaySeparator } from './ChatMessage.js';
export type { ChatMessageProps } from './ChatMessage.js';
export { MessageText } from './MessageText.js';
export { MessageAttachment } from './MessageAttachment.js';
export type { AttachmentDownloadState, MessageAttachmentProps } from './MessageAttachment.js';

// Headless: state, keyboard and scrolling without markup.
export { useChatMessages } from './useChatMessages.js';
export type { UseChatMessagesOptions, UseChatMessagesResult } from './useChatMessages.js';
export { useChatState } from './useChatState.js';
export type { ChatBlockReason, ChatPanelState, ChatState } from './useChatState.js';
export { useChatSend } from './useChatSend.js';
export { useComposer } from './useComposer.js';
export type { ComposerLimitState, UseComposerOptions, UseComposerResult } from './useComposer.js';
export { useScrollFollow } from './useScrollFollow.js';
export type { UseScrollFollowOptions, UseScrollFollowResult } from './useScrollFollow.js';
export { useAttachments } from './useAttachments.js';
export type { PendingAttachment, UseAttachmentsOptions, UseAttachmentsResult } from './useAttachments.js';
export { useFirstItemIndex } from './useFirstItemIndex.js';
export { RowBuilder, messageState, GROUP_GAP_MS } from './model/rows.js';
export type { ChatMessageState, ChatRow } from './model/rows.js';
export { linkify } from './model/linkify.js';
export type { TextPart } from './model/linkify.js';
export { isMediaMessage, makeThumbnail } from './media.js';
export type { RtmMediaMessage, Thumbnail } from './media.js';
export type { ChatItem, ChatTarget, ChatTargetProps } from './target.js';
