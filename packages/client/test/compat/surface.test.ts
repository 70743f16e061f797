import { describe, expect, it } from 'vitest';
import AgoraRTM, { RtmErrorCode } from '@rtm-kit/client';
import { APP_ID } from '../helpers.js';

/*
 * The names an app written for agora-rtm-sdk 1.x reaches at run time (spec §1–§4 and §8),
 * written down here and checked against what @rtm-kit/client exposes: a missing name is an app
 * that crashes with "is not a function".
 */
const MODULE = ['createInstance', 'setArea', 'VERSION', 'BUILD', 'END_CALL_PREFIX', 'LOG_FILTER_OFF', 'LOG_FILTER_ERROR', 'LOG_FILTER_WARNING', 'LOG_FILTER_INFO', 'LOG_FILTER_DEBUG'];
const MODULE_ENUMS = ['ConnectionState', 'ConnectionChangeReason', 'LocalInvitationState', 'LocalInvitationFailureReason', 'RemoteInvitationState', 'RemoteInvitationFailureReason', 'MessageType', 'PeerOnlineState', 'PeerSubscriptionOption'];
const EMITTER = ['on', 'once', 'off', 'addListener', 'removeListener', 'prependListener', 'prependOnceListener', 'removeAllListeners', 'listeners', 'rawListeners', 'listenerCount', 'emit', 'setMaxListeners', 'getMaxListeners', 'eventNames'];
const CLIENT = [
  'login', 'logout', 'renewToken', 'updateConfig', 'setParameters', 'createChannel', 'createLocalInvitation', 'createMessage',
  'sendMessageToPeer', 'queryPeersOnlineStatus', 'subscribePeersOnlineStatus', 'unsubscribePeersOnlineStatus', 'queryPeersBySubscriptionOption',
  'getChannelMemberCount', 'setLocalUserAttributes', 'addOrUpdateLocalUserAttributes', 'deleteLocalUserAttributesByKeys', 'clearLocalUserAttributes',
  'getUserAttributes', 'getUserAttributesByKeys', 'setChannelAttributes', 'addOrUpdateChannelAttributes', 'deleteChannelAttributesByKeys',
  'clearChannelAttributes', 'getChannelAttributes', 'getChannelAttributesByKeys', 'createMediaMessageByUploading', 'downloadMedia',
];
const CHANNEL = ['join', 'leave', 'sendMessage', 'getMembers'];
const LOCAL_INVITATION = ['send', 'cancel'];
const REMOTE_INVITATION = ['accept', 'refuse'];

/** Error groups and their numbers (§8), a sample from every group. */
const CODES: Record<string, Record<string, number>> = {
  LoginError: { LOGIN_ERR_UNKNOWN: 1, LOGIN_ERR_INVALID_TOKEN: 5, LOGIN_ERR_TOO_OFTEN: 10 },
  LogoutError: { LOGOUT_ERR_USER_NOT_LOGGED_IN: 102 },
  RenewTokenError: { RENEW_TOKEN_ERR_TOKEN_EXPIRED: 5, RENEW_TOKEN_ERR_INVALID_TOKEN: 6 },
  JoinChannelError: { JOIN_CHANNEL_TIMEOUT: 4, JOIN_CHANNEL_ERR_ALREADY_JOINED_CHANNEL_OF_SAME_ID: 202 },
  LeaveChannelError: { LEAVE_CHANNEL_ERR_NOT_IN_CHANNEL: 3 },
  PeerMessageError: { PEER_MESSAGE_ERR_TOO_OFTEN: 5, PEER_MESSAGE_ERR_INVALID_MESSAGE: 7 },
  ChannelMessageError: { CHANNEL_MESSAGE_ERR_TOO_OFTEN: 3, CHANNEL_MESSAGE_ERR_NOT_IN_CHANNEL: 5 },
  AttributeOperationError: { ATTRIBUTE_OPERATION_ERR_FAILURE: 2, ATTRIBUTE_OPERATION_ERR_SIZE_OVERFLOW: 4 },
  QueryPeersOnlineStatusError: { QUERY_PEERS_ONLINE_STATUS_ERR_INVALID_ARGUMENT: 2 },
  PeerSubscriptionStatusError: { PEER_SUBSCRIPTION_STATUS_ERR_OVERFLOW: 6 },
  GetMembersError: { GET_MEMBERS_ERR_NOT_IN_CHANNEL: 5 },
  GetChannelMemberCountErrCode: { GET_CHANNEL_MEMBER_COUNT_ERR_EXCEED_LIMIT: 5 },
  InvitationApiCallError: { INVITATION_API_CALL_ERR_ALREADY_END: 3, INVITATION_API_CALL_ERR_ALREADY_SENT: 5 },
  CreateInstanceError: { CREATE_INSTANCE_ERR_INVALID_ARGUMENT: 1 },
  UploadMediaError: { UPLOAD_MEDIA_ERR_SIZE_OVERFLOW: 4, UPLOAD_MEDIA_ERR_CONCURRENCY_LIMIT_EXCEEDED: 5 },
  DownloadMediaError: { DOWNLOAD_MEDIA_ERR_NOT_EXIST: 4 },
};

const missing = (object: object, names: string[], kind: 'function' | 'defined') =>
  names.filter((name) => (kind === 'function' ? typeof (object as Record<string, unknown>)[name] !== 'function' : (object as Record<string, unknown>)[name] === undefined));

describe('the 1.x runtime surface, name by name', () => {
  const client = AgoraRTM.createInstance(APP_ID, { serverUrl: 'http://127.0.0.1:1', logFilter: AgoraRTM.LOG_FILTER_OFF });

  it('AgoraRTM has every 1.x member and enum', () => {
    expect(missing(AgoraRTM, MODULE, 'defined')).toEqual([]);
    expect(missing(AgoraRTM, MODULE_ENUMS, 'defined')).toEqual([]);
    for (const name of MODULE_ENUMS) {
      const values = (AgoraRTM as unknown as Record<string, Record<string, string>>)[name] ?? {};
      // String enums: the value is the member's name.
      expect(Object.entries(values).filter(([key, value]) => key !== value)).toEqual([]);
    }
  });

  it('RtmClient, RtmChannel and both invitations have every 1.x method and the emitter methods', () => {
    const channel = client.createChannel('lobby');
    const local = client.createLocalInvitation('bob');
    expect(missing(client, [...CLIENT, ...EMITTER], 'function')).toEqual([]);
    expect(missing(channel, [...CHANNEL, ...EMITTER], 'function')).toEqual([]);
    expect(missing(local, [...LOCAL_INVITATION, ...EMITTER], 'function')).toEqual([]);
    expect(channel.channelId).toBe('lobby');
    expect({ calleeId: local.calleeId, state: local.state, content: local.content, response: local.response }).toEqual({
      calleeId: 'bob',
      state: 'IDLE',
      content: '',
      response: '',
    });
  });

  it('RemoteInvitation has accept and refuse', async () => {
    const { RemoteInvitation } = await import('@rtm-kit/client');
    expect(REMOTE_INVITATION.filter((name) => typeof (RemoteInvitation.prototype as unknown as Record<string, unknown>)[name] !== 'function')).toEqual([]);
  });

  it('error codes keep their 1.x numbers', () => {
    const groups = RtmErrorCode as unknown as Record<string, Record<string, number>>;
    for (const [group, codes] of Object.entries(CODES)) {
      expect({ group, codes: Object.fromEntries(Object.keys(codes).map((name) => [name, groups[group]?.[name]])) }).toEqual({ group, codes });
    }
  });
});
