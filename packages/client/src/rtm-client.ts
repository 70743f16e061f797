import type { ConnectionChangeReason, ConnectionState, PeerSubscriptionOption } from '@rtm-kit/protocol';
import { ChannelAttributesApi, type ChannelAttributeOptions } from './channel-attributes.js';
import { Invitations } from './invitations.js';
import type { LocalInvitation } from './local-invitation.js';
import { Presence, type PeersOnlineStatusMap, type PeersOnlineStatusResult } from './presence.js';
import type { RemoteInvitation } from './remote-invitation.js';
import { UserAttributes, type AttributesMap } from './user-attributes.js';
import { Logger, resolveConfig, validateConfig, type RtmConfig } from './config.js';
import { Connection } from './connection.js';
import { TypedEmitter } from './emitter.js';
import { createMessage, MediaTransfers, type MediaFileParams, type MediaImageParams } from './media.js';
import type { MediaTransferHandler } from './media-transfer.js';
import type { RtmFileMessage, RtmImageMessage } from './messages.js';
import { ChannelRegistry } from './channel-registry.js';
import type { PeerMessageSendResult, ReceivedMessageProperties, RtmMessage, SendMessageOptions } from './messages.js';
import { MessageBudget } from './outgoing-messages.js';
import { PeerMessaging } from './peer-messaging.js';
import type { ChannelAttributes, RtmChannel } from './rtm-channel.js';

/** Events of `RtmClient` (1.x `RtmEvents.RtmClientEvents`). */
export interface RtmClientEvents {
  [event: string]: (...args: never[]) => void;
  /** Every connection state change (§9.1). */
  ConnectionStateChanged: (newState: ConnectionState, reason: ConnectionChangeReason) => void;
  /** The token expired: while RECONNECTING, or when the server ended the session (ABORTED). */
  TokenExpired: () => void;
  /** The login token expires in 30 s; call `renewToken`. */
  TokenPrivilegeWillExpire: () => void;
  /** Never emitted: a self-hosted server has no fallback proxy. Declared for typing parity. */
  FallbackProxyConnected: () => void;
  /**
   * A peer message: live, or (1.4.x) stored while you were offline (`isOfflineMessage`).
   * `message` is a plain object, e.g. `{ text, messageType: 'TEXT' }`.
   */
  MessageFromPeer: (message: RtmMessage, peerId: string, messageProps: ReceivedMessageProperties) => void;
  /**
   * Statuses of subscribed peers: every newly subscribed peer once, then each change, and all of
   * them after a reconnect (§2.6, §9.1). `UNREACHABLE` while a peer's connection is gone within
   * its 30 s grace period.
   */
  PeersOnlineStatusChanged: (status: PeersOnlineStatusMap) => void;
  /** Someone invites you (§4.2); answer with `accept()` or `refuse()`. */
  RemoteInvitationReceived: (remoteInvitation: RemoteInvitation) => void;
}

/**
 * The agora-rtm-sdk 1.x client, talking to an rtm-kit server. Create it with
 * `AgoraRTM.createInstance(appId, config)`.
 *
 * @example
 * const client = AgoraRTM.createInstance(appId, { serverUrl: 'http://127.0.0.1:8080' });
 * client.on('ConnectionStateChanged', (state, reason) => console.log(state, reason));
 * await client.login({ uid: 'alice' });
 */
export class RtmClient extends TypedEmitter<RtmClientEvents> {
  readonly appId: string;
  /** @internal shared with the domain modules */
  readonly connection: Connection;
  readonly #log: Logger;
  readonly #media: MediaTransfers;
  /**
   * @internal The channels of this client. Other domains find a joined channel with
   * `channels.joined(channelId)` (channel attributes emit `AttributesUpdated` on it).
   */
  readonly channels: ChannelRegistry;
  readonly #peer: PeerMessaging;
  readonly #userAttributes: UserAttributes;
  readonly #channelAttributes: ChannelAttributesApi;
  readonly #presence: Presence;
  readonly #invitations: Invitations;

  /** @internal use `AgoraRTM.createInstance` */
  constructor(appId: string, config?: RtmConfig) {
    super();
    validateConfig(config, 'createInstance');
    this.appId = appId;
    const resolved = resolveConfig(config);
    this.#log = new Logger(resolved.logFilter);
    this.connection = new Connection(appId, resolved, this.#log, {
      stateChanged: (state, reason) => this.emit('ConnectionStateChanged', state, reason),
      tokenExpired: () => this.emit('TokenExpired'),
      tokenWillExpire: () => this.emit('TokenPrivilegeWillExpire'),
    });
    this.#media = new MediaTransfers(this.connection);
    // Peer and channel messages share one budget (§10.5).
    const budget = new MessageBudget();
    this.channels = new ChannelRegistry(this.connection, budget, this.#log);
    this.#peer = new PeerMessaging(this.connection, budget, (message, peerId, props) => this.emit('MessageFromPeer', message, peerId, props), this.#log);
    this.#userAttributes = new UserAttributes(this.connection, this.#log);
    this.#channelAttributes = new ChannelAttributesApi(this.connection, this.channels);
    this.#presence = new Presence(this.connection, this.#log, (status) => this.emit('PeersOnlineStatusChanged', status));
    this.#invitations = new Invitations(this.connection, this.#log, (invitation) => this.emit('RemoteInvitationReceived', invitation));
  }

  /** The current connection state (undocumented in 1.x, present at runtime). */
  get connectionState(): ConnectionState {
    return this.connection.state;
  }

  /** Why the connection state last changed, or null before the first change (rtm-kit addition). */
  get connectionChangeReason(): ConnectionChangeReason | null {
    return this.connection.reason;
  }

  /**
   * Log in as `uid`. Resolves once CONNECTED. For an app with a certificate, `token` is an
   * AccessToken2 made for this uid.
   */
  login(options: { uid: string; token?: string | null | undefined }): Promise<void> {
    if (typeof options !== 'object' || options === null) {
      return this.connection.login(undefined, undefined);
    }
    return this.connection.login(options.uid, options.token);
  }

  /** Log out, leaving every channel; listeners stay registered. */
  logout(): Promise<void> {
    return this.connection.logout();
  }

  /** Replace the login token before it expires (or after `TokenExpired` while RECONNECTING). */
  renewToken(token: string): Promise<void> {
    return this.connection.renewToken(token);
  }

  /** Change the configuration; takes effect at once (1.4.2+). */
  updateConfig(config: RtmConfig): void {
    const ignored = validateConfig(config, 'updateConfig');
    if (ignored.length > 0) this.#log.warn(`updateConfig: ignored unknown keys ${ignored.join(', ')}`);
    if (config.logFilter) this.#log.filter = config.logFilter;
  }

  /** @deprecated since 1.4.2: use `updateConfig`. */
  setParameters(config: RtmConfig): void {
    this.updateConfig(config);
  }

  /**
   * Send a message to a user (§2.2). Resolves `{ hasPeerReceived: true }` when the peer's client
   * received it, `false` when the server has it but the peer could not be reached; with the
   * 1.4.x option `enableOfflineMessaging` the server then keeps it (200 per receiver, 7 days) and
   * delivers it at the peer's next login. Rejects with `PeerMessageError`: 6 invalid peer ID,
   * 7 invalid message or larger than 32 KB, 5 more than 180 peer and channel messages in 3 s,
   * 2 timeout (10 s), 102 not logged in. While RECONNECTING the message waits for the connection.
   *
   * @example
   * const { hasPeerReceived } = await client.sendMessageToPeer({ text: 'hi' }, 'bob', { enableOfflineMessaging: true });
   */
  sendMessageToPeer(message: RtmMessage, peerId: string, options?: SendMessageOptions): Promise<PeerMessageSendResult> {
    return this.#peer.send(message, peerId, options);
  }

  /**
   * A channel object for `channelId` (§2.3); it does not join. Allowed before login. Throws
   * `CREATE_CHANNEL_ERR_INVALID_ARGUMENT` (1) for an invalid ID.
   *
   * @example
   * const channel = client.createChannel('lobby');
   * await channel.join();
   */
  createChannel(channelId: string): RtmChannel {
    return this.channels.create(channelId);
  }

  /**
   * Member counts of up to 32 channels, joined or not (§2.6), e.g. `{ lobby: 3 }`. Rejects
   * with `GetChannelMemberCountErrCode`: 2 invalid IDs, 5 more than 32, 3 more than once a
   * second, 102 not logged in.
   */
  getChannelMemberCount(channelIds: string[]): Promise<Record<string, number>> {
    return this.channels.getMemberCounts(channelIds);
  }

  /**
   * Upload a file or image (non-empty, at most 30 MB) and resolve with a message carrying its
   * `mediaId`, valid for 7 days, to send with `sendMessageToPeer` or `RtmChannel.sendMessage`
   * (1.3–1.4.x). Without `messageType`, any of width, height, thumbnailWidth or thumbnailHeight
   * makes it an image; an image's width and height are read from PNG, JPEG, GIF and BMP files
   * when not given.
   *
   * @example
   * const message = await client.createMediaMessageByUploading(file, { messageType: 'IMAGE', fileName: file.name }, {
   *   onOperationProgress: ({ currentSize, totalSize }) => setProgress(currentSize / totalSize),
   * });
   * await client.sendMessageToPeer(message, 'bob');
   */
  createMediaMessageByUploading(payload: Blob, params?: MediaFileParams, transHandler?: MediaTransferHandler): Promise<RtmFileMessage>;
  createMediaMessageByUploading(payload: Blob, params: MediaImageParams, transHandler?: MediaTransferHandler): Promise<RtmImageMessage>;
  createMediaMessageByUploading(
    payload: Blob,
    params?: MediaFileParams | MediaImageParams,
    transHandler?: MediaTransferHandler,
  ): Promise<RtmFileMessage | RtmImageMessage> {
    return this.#media.upload(payload, params, transHandler);
  }

  /**
   * Download a file or image by its `mediaId` (1.3–1.4.x). The Blob's `type` is the content type
   * the server detected from the bytes (png, gif, jpeg, pdf, zip and more).
   *
   * @example
   * client.on('MessageFromPeer', async (message) => {
   *   if (message.messageType === 'IMAGE') img.src = URL.createObjectURL(await client.downloadMedia(message.mediaId));
   * });
   */
  downloadMedia(mediaId: string, transHandler?: MediaTransferHandler): Promise<Blob> {
    return this.#media.download(mediaId, transHandler);
  }

  /**
   * Build a message object. TEXT and RAW messages come back as given (1.5 runtime); IMAGE and FILE
   * messages get the 1.4 defaults for what is missing, so one can be rebuilt from a `mediaId` that
   * is still valid.
   *
   * @example
   * const again = client.createMessage<RtmImageMessage>({ messageType: 'IMAGE', mediaId, width: 640, height: 480 });
   */
  createMessage<T extends RtmMessage>(message: Partial<T>): T {
    return createMessage(message) as T;
  }

  /**
   * Replace all your attributes (§2.4). They last until you log out (or your session ends) and
   * are set again by the client after a reconnect that needed a new session. Rejects with
   * `AttributeOperationError`: 3 invalid (empty map, a key that is not 1–32 bytes of visible
   * characters or is reserved, an empty or non-string value), 4 over a limit (more than 32
   * attributes, a value over 8 KB, more than 16 KB in all), 5 more than 10 writes in 5 s,
   * 7 timeout, 102 not logged in.
   *
   * @example
   * await client.setLocalUserAttributes({ name: 'Alice', avatar: 'https://…/a.png' });
   */
  setLocalUserAttributes(attributes: AttributesMap): Promise<void> {
    return this.#userAttributes.set(attributes);
  }

  /** Add or change some of your attributes; the merged set must stay within 16 KB (§10.3). */
  addOrUpdateLocalUserAttributes(attributes: AttributesMap): Promise<void> {
    return this.#userAttributes.addOrUpdate(attributes);
  }

  /** Delete some of your attributes (1–32 keys); missing keys are ignored. */
  deleteLocalUserAttributesByKeys(attributeKeys: string[]): Promise<void> {
    return this.#userAttributes.deleteByKeys(attributeKeys);
  }

  /** Delete all your attributes. */
  clearLocalUserAttributes(): Promise<void> {
    return this.#userAttributes.clear();
  }

  /**
   * Anyone's attributes. A user who is not logged in has none: the result is `{}`. At most 40
   * reads in 5 s.
   *
   * @example
   * const { name } = await client.getUserAttributes('bob');
   */
  getUserAttributes(userId: string): Promise<AttributesMap> {
    return this.#userAttributes.get(userId);
  }

  /** Some of anyone's attributes (1–32 keys); keys that are not set are left out. */
  getUserAttributesByKeys(userId: string, attributeKeys: string[]): Promise<AttributesMap> {
    return this.#userAttributes.get(userId, attributeKeys);
  }

  /**
   * Replace all attributes of a channel, joined or not (§2.5). A channel holds at most 32
   * attributes and 32 KB; its attributes are cleared once it has been empty for 2 minutes. With
   * `enableNotificationToChannelMembers`, joined members get `AttributesUpdated` with the whole
   * map. At most 10 writes in 5 s.
   *
   * @example
   * await client.setChannelAttributes('room-1', { notice: 'Quiet please' }, { enableNotificationToChannelMembers: true });
   */
  setChannelAttributes(channelId: string, attributes: AttributesMap, options?: ChannelAttributeOptions): Promise<void> {
    return this.#channelAttributes.set(channelId, attributes, options);
  }

  /** Add or change some attributes of a channel; the whole channel must stay within its limits. */
  addOrUpdateChannelAttributes(channelId: string, attributes: AttributesMap, options?: ChannelAttributeOptions): Promise<void> {
    return this.#channelAttributes.addOrUpdate(channelId, attributes, options);
  }

  /** Delete some attributes of a channel (1–32 keys). */
  deleteChannelAttributesByKeys(channelId: string, attributeKeys: string[], options?: ChannelAttributeOptions): Promise<void> {
    return this.#channelAttributes.deleteByKeys(channelId, attributeKeys, options);
  }

  /** Delete all attributes of a channel. */
  clearChannelAttributes(channelId: string, options?: ChannelAttributeOptions): Promise<void> {
    return this.#channelAttributes.clear(channelId, options);
  }

  /**
   * All attributes of a channel, each with `value`, `lastUpdateUserId` and `lastUpdateTs`. At most
   * 10 reads in 5 s.
   */
  getChannelAttributes(channelId: string): Promise<ChannelAttributes> {
    return this.#channelAttributes.get(channelId);
  }

  /** Some attributes of a channel (1–32 keys). */
  getChannelAttributesByKeys(channelId: string, keys: string[]): Promise<ChannelAttributes> {
    return this.#channelAttributes.get(channelId, keys);
  }

  /**
   * Whether each of up to 256 users is logged in (§2.6); a user whose connection is gone within
   * its grace period counts as logged in. Rejects with `QueryPeersOnlineStatusError`: 2 invalid,
   * 5 more than 10 calls in 5 s, 4 timeout, 102 not logged in.
   *
   * @example
   * const { bob } = await client.queryPeersOnlineStatus(['bob']);
   */
  queryPeersOnlineStatus(peerIds: string[]): Promise<PeersOnlineStatusResult> {
    return this.#presence.query(peerIds);
  }

  /**
   * Follow the online status of peers (1.2.0): `PeersOnlineStatusChanged` reports each newly
   * subscribed peer, then every change. At most 512 peers (`PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW`,
   * 6) and 10 calls in 5 s (`…_TOO_OFTEN`, 5). Cleared at logout; kept across reconnects.
   *
   * @example
   * client.on('PeersOnlineStatusChanged', (status) => render(status));
   * await client.subscribePeersOnlineStatus(['bob', 'carol']);
   */
  subscribePeersOnlineStatus(peerIds: string[]): Promise<void> {
    return this.#presence.subscribe(peerIds);
  }

  /** Stop following the online status of peers. */
  unsubscribePeersOnlineStatus(peerIds: string[]): Promise<void> {
    return this.#presence.unsubscribe(peerIds);
  }

  /** The peers you follow (only `PeerSubscriptionOption.ONLINE_STATUS` exists). */
  queryPeersBySubscriptionOption(option: PeerSubscriptionOption): Promise<string[]> {
    return this.#presence.list(option);
  }

  /**
   * A call invitation to `calleeId` (§4.1); allowed before login. Throws
   * `INVITATION_API_CALL_ERR_INVALID_ARGUMENT` (1) for an invalid ID.
   *
   * @example
   * const invitation = client.createLocalInvitation('bob');
   * invitation.on('LocalInvitationAccepted', () => startCall());
   * invitation.send();
   */
  createLocalInvitation(calleeId: string): LocalInvitation {
    return this.#invitations.create(calleeId);
  }
}
