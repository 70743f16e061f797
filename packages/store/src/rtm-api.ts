import type { MediaFileParams, MediaImageParams } from '@rtm-kit/client';

/*
 * The agora-rtm-sdk 1.x types the store works with (spec §2–§6), all from `@rtm-kit/client`:
 * the store re-exports them so a UI binding needs only this package's types.
 */
export type {
  AttributesMap,
  ChannelAttributeOptions,
  ChannelAttributeProperties,
  ChannelAttributes,
  ConnectionChangeReason,
  ConnectionState,
  LocalInvitation,
  MediaFileParams,
  MediaImageParams,
  MediaTransferHandler,
  PeerMessageSendResult,
  PeerOnlineState,
  PeersOnlineStatusMap,
  ReceivedMessageProperties,
  RemoteInvitation,
  RtmChannel,
  RtmClient,
  RtmClientEvents,
  RtmConfig,
  RtmError,
  RtmFileMessage,
  RtmImageMessage,
  RtmMessage,
  RtmRawMessage,
  RtmTextMessage,
  SendMessageOptions,
} from '@rtm-kit/client';

/** Options of `createMediaMessageByUploading` (1.4.x): a file's or an image's. */
export type MediaUploadParams = MediaFileParams | MediaImageParams;
