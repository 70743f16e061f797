import {
  utf8ByteLength,
  wireMessageSize,
  type ErrorCodeName,
  type Limits,
  type WireMessage,
  type WireRawMessage,
  type WireTextMessage,
} from '@rtm-kit/protocol';
import { rtmError, RtmLimitExceededError, type RtmError } from './errors.js';

/**
 * The message objects of agora-rtm-sdk 1.x (spec §5). Apps pass plain objects; the SDK infers
 * the type, validates it and sends only the fields of that type.
 */

/*
 * Each kind declares the other kinds' distinguishing fields as `?: never`, as the 1.x typings
 * did for text and raw messages: code written for them reads `message.text` or
 * `message.rawMessage` on an un-narrowed `RtmMessage` (typed `string | undefined`), and that
 * keeps compiling now that the union also holds file and image messages.
 */

/** A text message: `text` is at most 32 KB of UTF-8. */
export interface RtmTextMessage {
  text: string;
  messageType?: 'TEXT';
  rawMessage?: never;
  description?: never;
  mediaId?: never;
}

/** A binary message: `rawMessage` plus `description` at most 32 KB (1.2.0+). */
export interface RtmRawMessage {
  rawMessage: Uint8Array;
  description?: string;
  messageType?: 'RAW';
  text?: never;
  mediaId?: never;
}

/** An uploaded image (1.3–1.4.x): the bytes are fetched by `mediaId`. */
export interface RtmImageMessage {
  width: number;
  height: number;
  fileName: string;
  description: string;
  thumbnail: Blob | undefined;
  thumbnailWidth: number;
  thumbnailHeight: number;
  /** Bytes of the image. */
  size: number;
  /** Valid for 7 days after the upload. */
  mediaId: string;
  messageType: 'IMAGE';
  text?: never;
  rawMessage?: never;
}

/** An uploaded file (1.3–1.4.x): the bytes are fetched by `mediaId`. */
export interface RtmFileMessage {
  fileName: string;
  description: string;
  thumbnail: Blob | undefined;
  size: number;
  mediaId: string;
  messageType: 'FILE';
  text?: never;
  rawMessage?: never;
}

export type RtmMessage = RtmTextMessage | RtmRawMessage | RtmFileMessage | RtmImageMessage;

/** The third argument of `MessageFromPeer` and `ChannelMessage`. */
export interface ReceivedMessageProperties {
  /** When the server received the message (ms since the epoch); not for strict ordering. */
  serverReceivedTs: number;
  /** 1.4.x: true for a peer message stored while you were offline and delivered at login. */
  isOfflineMessage: boolean;
}

/** 1.4.x `SendMessageOptions` (removed in 1.5.0, still accepted here). */
export interface SendMessageOptions {
  /** Peer messages: if the peer is offline, the server stores the message for it (7 days). */
  enableOfflineMessaging?: boolean;
  /** Private beta in 1.x; accepted and ignored. */
  enableHistoricalMessaging?: boolean;
}

/** 1.x `PeerMessageSendResult`. */
export interface PeerMessageSendResult {
  /** True when the peer's client received the message; false when it could not be reached. */
  hasPeerReceived: boolean;
}

type InvalidMessageCode = Extract<ErrorCodeName, 'PEER_MESSAGE_ERR_INVALID_MESSAGE' | 'CHANNEL_MESSAGE_ERR_INVALID_MESSAGE'>;

/** The limits a message is checked against: the server's (`connection.limits`). */
export type MessageLimits = Pick<Limits, 'messageMaxBytes' | 'mediaMetadataMaxBytes'>;

/**
 * Validates an app's message and turns it into its wire form, as the 1.x runtime does (§5):
 * without `messageType`, a `Uint8Array` `rawMessage` makes it RAW and a string `text` makes it
 * TEXT (having both is an error); the object is then given its `messageType` (and a RAW message
 * its default `description` of `""`). Only the fields of the type travel. The size rule is the
 * spec's: UTF-8 bytes of the text, raw bytes plus the UTF-8 description, or thumbnail plus file
 * name plus description for media (§9.2, §10.2), measured as the server measures it
 * (`wireMessageSize`) against the server's limits; over it, `RtmLimitExceededError`.
 *
 * @example
 * const wire = await toWireMessage({ text: 'hi' }, 'PEER_MESSAGE_ERR_INVALID_MESSAGE', connection.limits);
 */
export async function toWireMessage(message: unknown, invalidCode: InvalidMessageCode, limits: MessageLimits): Promise<WireMessage> {
  const invalid = (why: string): RtmError => rtmError(invalidCode, `Invalid message: ${why}.`);
  if (typeof message !== 'object' || message === null) throw invalid('a message must be an object');
  const m = message as Record<string, unknown>;
  const type = inferType(m, invalid);
  switch (type) {
    case 'TEXT': {
      if (typeof m['text'] !== 'string') throw invalid('a TEXT message needs a string `text`');
      const wire: WireTextMessage = { type, text: m['text'] };
      checkSize(wire, limits.messageMaxBytes, invalidCode);
      m['messageType'] = type;
      return wire;
    }
    case 'RAW': {
      const raw = m['rawMessage'];
      if (!(raw instanceof Uint8Array)) throw invalid('a RAW message needs a Uint8Array `rawMessage`');
      const description = m['description'] ?? '';
      if (typeof description !== 'string') throw invalid('`description` must be a string');
      // A copy with its own buffer: the app may reuse its array, and a view into a larger
      // buffer must not send the rest of it.
      const wire: WireRawMessage = { type, raw: raw.slice(), description };
      checkSize(wire, limits.messageMaxBytes, invalidCode);
      m['messageType'] = type;
      m['description'] = description;
      return wire;
    }
    case 'FILE':
    case 'IMAGE':
      return toWireMedia(m, type, invalid, invalidCode, limits.mediaMetadataMaxBytes);
    default: {
      const unreachable: never = type;
      throw invalid(`unknown messageType ${String(unreachable)}`);
    }
  }
}

/** A received wire message as the plain 1.x object an app gets in its listener. */
export function fromWireMessage(wire: WireMessage): RtmMessage {
  switch (wire.type) {
    case 'TEXT':
      return { text: wire.text, messageType: 'TEXT' };
    case 'RAW':
      return { rawMessage: toBytes(wire.raw), description: wire.description, messageType: 'RAW' };
    case 'FILE':
      return {
        fileName: wire.fileName,
        description: wire.description,
        thumbnail: toBlob(wire.thumbnail),
        size: wire.size,
        mediaId: wire.mediaId,
        messageType: 'FILE',
      };
    case 'IMAGE':
      return {
        width: wire.width,
        height: wire.height,
        fileName: wire.fileName,
        description: wire.description,
        thumbnail: toBlob(wire.thumbnail),
        thumbnailWidth: wire.thumbnailWidth,
        thumbnailHeight: wire.thumbnailHeight,
        size: wire.size,
        mediaId: wire.mediaId,
        messageType: 'IMAGE',
      };
    default: {
      const unknown: never = wire;
      return unknown;
    }
  }
}

function inferType(m: Record<string, unknown>, invalid: (why: string) => RtmError): WireMessage['type'] {
  const declared = m['messageType'];
  if (declared === undefined) {
    if (m['rawMessage'] instanceof Uint8Array) {
      if (m['text'] !== undefined) throw invalid('a message with `rawMessage` cannot also have `text`');
      return 'RAW';
    }
    if (typeof m['text'] === 'string') {
      if (m['rawMessage'] !== undefined) throw invalid('a message with `text` cannot also have `rawMessage`');
      return 'TEXT';
    }
    throw invalid('messageType is undefined (give a string `text` or a Uint8Array `rawMessage`)');
  }
  if (declared === 'TEXT' || declared === 'RAW' || declared === 'FILE' || declared === 'IMAGE') return declared;
  throw invalid(`unknown messageType ${JSON.stringify(declared)}`);
}

async function toWireMedia(
  m: Record<string, unknown>,
  type: 'FILE' | 'IMAGE',
  invalid: (why: string) => RtmError,
  invalidCode: InvalidMessageCode,
  maxBytes: number,
): Promise<WireMessage> {
  const { mediaId, fileName, description, size, thumbnail } = m;
  if (typeof mediaId !== 'string' || mediaId === '') throw invalid(`a ${type} message needs the \`mediaId\` of an upload`);
  if (typeof fileName !== 'string' || typeof description !== 'string') throw invalid('`fileName` and `description` must be strings');
  const thumb = thumbnail ?? undefined;
  if (thumb !== undefined && !(thumb instanceof Blob)) throw invalid('`thumbnail` must be a Blob');
  const dimensions = type === 'IMAGE' ? (['width', 'height', 'thumbnailWidth', 'thumbnailHeight'] as const) : [];
  for (const key of ['size', ...dimensions] as const) {
    const v = m[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw invalid(`\`${key}\` must be a whole number of at least 0`);
  }
  // The size rule before the thumbnail is read, from the Blob's size (what `wireMessageSize`
  // counts once it is bytes), so an oversized thumbnail is never read into memory.
  const bytes = (thumb?.size ?? 0) + utf8ByteLength(fileName) + utf8ByteLength(description);
  if (bytes > maxBytes) throw tooLarge(invalidCode, bytes, maxBytes);
  const wire: WireMessage = {
    type,
    mediaId,
    size: size as number,
    fileName,
    description,
    thumbnail: thumb === undefined ? null : new Uint8Array(await thumb.arrayBuffer()),
    width: type === 'IMAGE' ? (m['width'] as number) : 0,
    height: type === 'IMAGE' ? (m['height'] as number) : 0,
    thumbnailWidth: type === 'IMAGE' ? (m['thumbnailWidth'] as number) : 0,
    thumbnailHeight: type === 'IMAGE' ? (m['thumbnailHeight'] as number) : 0,
  };
  return wire;
}

function checkSize(wire: WireTextMessage | WireRawMessage, maxBytes: number, invalidCode: InvalidMessageCode): void {
  const bytes = wireMessageSize(wire);
  if (bytes > maxBytes) throw tooLarge(invalidCode, bytes, maxBytes);
}

function tooLarge(invalidCode: InvalidMessageCode, bytes: number, max: number): RtmError {
  // §9.2: the runtime reports an oversized message as RtmLimitExceededError with INVALID_MESSAGE.
  return new RtmLimitExceededError(`The message is ${bytes} bytes; at most ${max} are allowed.`, invalidCode);
}

/** Binary from the transport: Buffer in Node, ArrayBuffer in browsers. */
function toBytes(data: unknown): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  return new Uint8Array(0);
}

function toBlob(data: unknown): Blob | undefined {
  if (data === null || data === undefined) return undefined;
  return new Blob([toBytes(data) as Uint8Array<ArrayBuffer>]);
}
