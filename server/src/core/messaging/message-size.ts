import { wireMessageSize, type ErrorCodeName, type Limits, type WireMessage } from '@rtm-kit/protocol';
import { CoreError } from '../errors.js';

/**
 * The size rule of peer and channel messages (§9.2, §10.2), the same check the client makes
 * before sending: text, or raw bytes plus description, at most `messageMaxBytes`; a file or
 * image message's thumbnail, file name and description at most `mediaMetadataMaxBytes`. Throws
 * `invalidCode` (PEER_MESSAGE_ERR_INVALID_MESSAGE / CHANNEL_MESSAGE_ERR_INVALID_MESSAGE).
 */
export function checkMessageSize(
  message: WireMessage,
  limits: Pick<Limits, 'messageMaxBytes' | 'mediaMetadataMaxBytes'>,
  invalidCode: ErrorCodeName,
): void {
  const maxBytes = message.type === 'TEXT' || message.type === 'RAW' ? limits.messageMaxBytes : limits.mediaMetadataMaxBytes;
  if (wireMessageSize(message) > maxBytes) throw new CoreError(invalidCode, `The message is larger than ${maxBytes} bytes.`);
}
