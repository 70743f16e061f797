import type * as Enums from '@rtm-kit/protocol';
import type { LocalInvitationEvents as LocalEvents } from './local-invitation.js';
import type { RemoteInvitationEvents as RemoteEvents } from './remote-invitation.js';
import type { RtmChannelEvents as ChannelEvents } from './rtm-channel.js';
import type { RtmClientEvents as ClientEvents } from './rtm-client.js';

/*
 * The type-only namespaces through which code written for agora-rtm-sdk 1.x names the SDK's
 * status types and event maps (`RtmStatusCode.ConnectionState`, `RtmEvents.RtmClientEvents`).
 * They are types only, as they were there: the values live on `AgoraRTM` (`AgoraRTM.ConnectionState`).
 * The status types are this SDK's string unions, so `RtmStatusCode.ConnectionState` accepts
 * exactly the strings the events carry.
 */

export declare namespace RtmStatusCode {
  type ConnectionChangeReason = Enums.ConnectionChangeReason;
  type ConnectionState = Enums.ConnectionState;
  type LocalInvitationState = Enums.LocalInvitationState;
  type RemoteInvitationState = Enums.RemoteInvitationState;
  type LocalInvitationFailureReason = Enums.LocalInvitationFailureReason;
  type RemoteInvitationFailureReason = Enums.RemoteInvitationFailureReason;
  type PeerOnlineState = Enums.PeerOnlineState;
  type PeerSubscriptionOption = Enums.PeerSubscriptionOption;
  type MessageType = Enums.MessageType;
  type LegacyAreaCode = Enums.LegacyAreaCode;
  type AreaCode = Enums.AreaCode;
}

export declare namespace RtmEvents {
  type RtmClientEvents = ClientEvents;
  type RtmChannelEvents = ChannelEvents;
  type LocalInvitationEvents = LocalEvents;
  type RemoteInvitationEvents = RemoteEvents;
}
