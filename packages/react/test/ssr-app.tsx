import {
  useChannel,
  useChannelAttributes,
  useChannelMembers,
  useConnectionState,
  useInvitation,
  useLocalUserAttributes,
  useMediaTransfers,
  useMemberCount,
  usePeerMessages,
  usePeerStatus,
  useUserAttributes,
} from '@rtm-kit/react';

/** Uses every hook, so rendering it on the server exercises every server snapshot. */
export function EveryHook() {
  const connection = useConnectionState();
  const channel = useChannel('lobby');
  const members = useChannelMembers('lobby');
  const peer = usePeerMessages('bob');
  const status = usePeerStatus(['bob', 'carol']);
  const invitations = useInvitation();
  const channelAttributes = useChannelAttributes('lobby');
  const userAttributes = useUserAttributes('bob');
  const local = useLocalUserAttributes();
  const counts = useMemberCount(['lobby']);
  const media = useMediaTransfers();
  return (
    <ul>
      <li data-testid="connection">connection {connection.state}</li>
      <li>channel {channel.status} {channel.messages.length} messages {channel.members.length} members</li>
      <li>members {members.members.length} {String(members.memberCount)}</li>
      <li>peer {peer.messages.length} messages</li>
      <li>status {JSON.stringify(status)}</li>
      <li>invitations {invitations.incoming.length}/{invitations.outgoing.length}</li>
      <li>channel attributes {channelAttributes.status} {Object.keys(channelAttributes.attributes).length}</li>
      <li>user attributes {userAttributes.status} {Object.keys(userAttributes.attributes).length}</li>
      <li>local attributes {Object.keys(local.attributes).length}</li>
      <li>counts {JSON.stringify(counts)}</li>
      <li>transfers {media.transfers.length}</li>
    </ul>
  );
}
