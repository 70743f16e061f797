'use client';

import { useChannelMembers, useConnectionState, usePeerStatus } from '@rtm-kit/react';
import { memo, useMemo, type ReactNode } from 'react';
import { useStrings, type RtmStrings } from '../strings.js';
import { cx } from './internal.js';
import { PresenceDot, presenceStateOf } from './PresenceDot.js';
import { StringsScope } from './StringsScope.js';

export interface MemberListProps {
  readonly channelId: string;
  /** Makes each other member a button, e.g. to open a conversation with them. */
  readonly onSelectMember?: ((uid: string) => void) | undefined;
  /** Extra controls per other member, e.g. `<CallButton peerId={uid} />`. */
  readonly memberActions?: ((uid: string) => ReactNode) | undefined;
  readonly className?: string | undefined;
  readonly strings?: Partial<RtmStrings> | undefined;
}

/**
 * A channel's members (joined while mounted), this user first, each with an online dot, and the
 * member count. It does not re-render when a message arrives.
 *
 * @example
 * <MemberList channelId="lobby" onSelectMember={(uid) => openChat(uid)} />
 */
export const MemberList = memo(function MemberList(props: MemberListProps) {
  return (
    <StringsScope strings={props.strings}>
      <Members {...props} />
    </StringsScope>
  );
});

function Members({ channelId, onSelectMember, memberActions, className }: MemberListProps) {
  const strings = useStrings();
  const { uid } = useConnectionState();
  const { members, memberCount } = useChannelMembers(channelId);
  const others = useMemo(() => members.filter((m) => m !== uid).sort((a, b) => a.localeCompare(b)), [members, uid]);
  const status = usePeerStatus(others);
  const joined = uid !== null && members.includes(uid);
  const count = memberCount ?? members.length;
  return (
    <div className={cx('rtm-chat-members', className)}>
      <h3 className="rtm-chat-members-title">
        {strings.members}
        {/* Only while joined: a session that ended knows no count (it would read "0 members"). */}
        {joined && (
          <>
            {' '}
            <span className="rtm-chat-member-count">{strings.memberCount(count)}</span>
          </>
        )}
      </h3>
      <ul className="rtm-chat-member-list" aria-label={strings.membersOf(channelId)}>
        {joined && (
          <li className="rtm-chat-member" data-state="online" data-self="true">
            <PresenceDot state="ONLINE" />
            <span className="rtm-chat-member-name">
              {uid} <span className="rtm-chat-member-self">{strings.youSuffix}</span>
            </span>
          </li>
        )}
        {others.map((member) => (
          <li key={member} className="rtm-chat-member" data-state={presenceStateOf(status[member])}>
            <PresenceDot state={status[member]} />
            {onSelectMember === undefined ? (
              <span className="rtm-chat-member-name">{member}</span>
            ) : (
              <button
                type="button"
                className="rtm-chat-member-name rtm-chat-member-button rtm-focusable"
                aria-label={strings.openConversation(member)}
                onClick={() => onSelectMember(member)}
              >
                {member}
              </button>
            )}
            {memberActions?.(member)}
          </li>
        ))}
      </ul>
    </div>
  );
}
