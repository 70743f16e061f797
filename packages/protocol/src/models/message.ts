import { utf8ByteLength } from '../identifiers.js';

/**
 * A message as it travels between client and server (§5). Binary parts (`raw`, `thumbnail`)
 * travel as socket.io binary attachments, never base64. Extra properties of the app's message
 * object are not transmitted, as in the Web SDK.
 */
export type WireMessage = WireTextMessage | WireRawMessage | WireMediaMessage;

export interface WireTextMessage {
  readonly type: 'TEXT';
  readonly text: string;
}

export interface WireRawMessage {
  readonly type: 'RAW';
  readonly raw: Uint8Array;
  readonly description: string;
}

/** A file or image already uploaded; the bytes are fetched by `mediaId` (1.4.x, §5). */
export interface WireMediaMessage {
  readonly type: 'FILE' | 'IMAGE';
  readonly mediaId: string;
  readonly size: number;
  readonly fileName: string;
  readonly description: string;
  readonly thumbnail: Uint8Array | null;
  /** IMAGE only; 0 for files. */
  readonly width: number;
  readonly height: number;
  readonly thumbnailWidth: number;
  readonly thumbnailHeight: number;
}

/**
 * The size the spec limits (§9.2, §10.2): UTF-8 bytes of the text; raw bytes plus the UTF-8
 * description; for media the thumbnail, file name and description together.
 */
export function wireMessageSize(message: WireMessage): number {
  switch (message.type) {
    case 'TEXT':
      return utf8ByteLength(message.text);
    case 'RAW':
      return message.raw.byteLength + utf8ByteLength(message.description);
    case 'FILE':
    case 'IMAGE':
      return (message.thumbnail?.byteLength ?? 0) + utf8ByteLength(message.fileName) + utf8ByteLength(message.description);
    default: {
      const unknown: never = message;
      return unknown;
    }
  }
}
