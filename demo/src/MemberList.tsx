import { useChannelMembers, usePeerStatus } from '@rtm-kit/react';
import { useMemo } from 'react';
import { CallButton } from './CallButton.js';
import { Presence } from './Presence.js';

interface MemberListProps {
  channelId: string;
  uid: string;
  onOpenPeer: (peerId: string) => void;
}

/** The channel's members (this user first), their online status, and chat and call buttons. */
export function MemberList({ channelId, uid, onOpenPeer }: MemberListProps) {
  const { members, memberCount } = useChannelMembers(channelId);
  const others = useMemo(() => members.filter((m) => m !== uid).sort((a, b) => a.localeCompare(b)), [members, uid]);
  const status = usePeerStatus(others);
  const joined = members.includes(uid);
  const count = memberCount ?? members.length;

  return (
    <aside className="members" aria-labelledby="members-title">
      <h2 id="members-title">
        Members <span className="count">{count}</span>
      </h2>
      <ul aria-label={`Members of #${channelId}`}>
        {joined && (
          <li className="member">
            <Presence state="ONLINE" />
            <span className="member-name">
              {uid} <span className="muted">(you)</span>
            </span>
          </li>
        )}
        {others.map((member) => (
          <li key={member} className="member">
            <Presence state={status[member]} />
            <button type="button" className="member-name link-button" aria-label={`Chat with ${member}`} onClick={() => onOpenPeer(member)}>
              {member}
            </button>
            <CallButton peerId={member} />
          </li>
        ))}
      </ul>
      {joined && others.length === 0 && <p className="muted small">Nobody else is here. Open another tab and log in as someone else.</p>}
    </aside>
  );
}
