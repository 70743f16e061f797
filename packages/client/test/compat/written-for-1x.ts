/*
 * Code in the shape an app written for agora-rtm-sdk 1.5.1 takes, type-checked (not run) by
 * `npm test` against @rtm-kit/client's types. It compiles against 1.5.1's typings; it must
 * compile here unchanged. Every line stands for a pattern found in real 1.x apps.
 */
import AgoraRTM, { type RtmChannel, type RtmClient, type RtmEvents, type RtmMessage, type RtmStatusCode } from '@rtm-kit/client';

declare const APP_ID: string;

// The deprecated third argument, typed with the AreaCode values the typings offered.
const client: RtmClient = AgoraRTM.createInstance(APP_ID, { enableLogUpload: false }, [AgoraRTM.AreaCode.GLOBAL]);
AgoraRTM.setArea({ areaCodes: [AgoraRTM.AreaCode.GLOBAL] });

// Status types through the RtmStatusCode namespace.
let lastState: RtmStatusCode.ConnectionState = 'DISCONNECTED';
const onState = (state: RtmStatusCode.ConnectionState, reason: RtmStatusCode.ConnectionChangeReason): void => {
  lastState = state;
  if (reason === AgoraRTM.ConnectionChangeReason.REMOTE_LOGIN) console.log('logged in elsewhere');
};
client.on('ConnectionStateChanged', onState);
const statuses: Record<string, RtmStatusCode.PeerOnlineState> = {};
client.on('PeersOnlineStatusChanged', (map) => Object.assign(statuses, map));

// Event maps through the RtmEvents namespace, e.g. for a typed wrapper.
type ClientHandler<E extends keyof RtmEvents.RtmClientEvents> = RtmEvents.RtmClientEvents[E];
const onPeerMessage: ClientHandler<'MessageFromPeer'> = (message, peerId) => {
  // `text` read without narrowing the union first, as 1.x examples do.
  const text: string | undefined = message.text;
  console.log(peerId, text ?? message.rawMessage?.byteLength);
};
client.on('MessageFromPeer', onPeerMessage);
type ChannelHandlers = RtmEvents.RtmChannelEvents;
const onChannelMessage: ChannelHandlers['ChannelMessage'] = (message: RtmMessage, memberId: string) => {
  if (message.messageType === 'TEXT') console.log(memberId, message.text.toUpperCase());
  else console.log(memberId, message.description);
};
type LocalHandlers = RtmEvents.LocalInvitationEvents;
type RemoteHandlers = RtmEvents.RemoteInvitationEvents;
const onRefused: LocalHandlers['LocalInvitationRefused'] = (response) => console.log(response.length);
const onRemoteFailure: RemoteHandlers['RemoteInvitationFailure'] = (reason: RtmStatusCode.RemoteInvitationFailureReason) => console.log(reason);

export async function run(): Promise<void> {
  await client.login({ uid: 'alice', token: undefined });
  const channel: RtmChannel = client.createChannel('lobby');
  channel.on('ChannelMessage', onChannelMessage);
  channel.prependListener('MemberJoined', (memberId) => console.log(memberId));
  await channel.join();
  await channel.sendMessage({ text: 'hello' });
  const result = await client.sendMessageToPeer({ text: 'hi' }, 'bob');
  if (!result.hasPeerReceived) console.log('bob is offline');

  const invitation = client.createLocalInvitation('bob');
  invitation.content = 'call me';
  invitation.on('LocalInvitationRefused', onRefused);
  const state: RtmStatusCode.LocalInvitationState = invitation.state;
  invitation.send();
  client.on('RemoteInvitationReceived', (remote) => {
    remote.on('RemoteInvitationFailure', onRemoteFailure);
    remote.response = 'on my way';
    remote.accept();
  });
  console.log(lastState, state, statuses);
}
