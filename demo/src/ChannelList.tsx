import { useChannel } from '@rtm-kit/react';
import { useEffect, useState, type FormEvent } from 'react';
import type { View } from './Workspace.js';

interface ChannelListProps {
  channels: readonly string[];
  view: View;
  onOpen: (channelId: string) => void;
  onLeave: (channelId: string) => void;
}

/** The channels this user is in (each stays joined while listed) and a form to join another. */
export function ChannelList({ channels, view, onOpen, onLeave }: ChannelListProps) {
  const [name, setName] = useState('');
  const join = (event: FormEvent) => {
    event.preventDefault();
    const channelId = name.trim();
    if (channelId === '') return;
    onOpen(channelId);
    setName('');
  };
  return (
    <section className="sidebar-section" aria-labelledby="channels-title">
      <h2 id="channels-title">Channels</h2>
      <ul className="nav-list">
        {channels.map((channelId) => (
          <ChannelListItem
            key={channelId}
            channelId={channelId}
            open={view?.kind === 'channel' && view.id === channelId}
            onOpen={() => onOpen(channelId)}
            onLeave={() => onLeave(channelId)}
          />
        ))}
      </ul>
      <form className="inline-form" onSubmit={join}>
        <input aria-label="Channel name" placeholder="Channel name" value={name} onChange={(e) => setName(e.target.value)} maxLength={64} />
        <button type="submit" disabled={name.trim() === ''}>
          Join
        </button>
      </form>
    </section>
  );
}

function ChannelListItem({ channelId, open, onOpen, onLeave }: { channelId: string; open: boolean; onOpen: () => void; onLeave: () => void }) {
  const [unread, setUnread] = useState(0);
  // Holding the channel here keeps it joined while it is listed, even when another one is open.
  const { status, memberCount, members } = useChannel(channelId, {
    onMessage: () => {
      if (!open) setUnread((n) => n + 1);
    },
  });
  useEffect(() => {
    if (open) setUnread(0);
  }, [open]);
  const count = memberCount ?? (status === 'joined' ? members.length : null);
  return (
    <li className={open ? 'nav-item current' : 'nav-item'}>
      <button type="button" className="nav-link" aria-current={open ? 'page' : undefined} onClick={onOpen}>
        <span className="channel-name"># {channelId}</span>
        {status === 'error' && <span className="badge error-badge">failed</span>}
        {unread > 0 && (
          <span className="badge">
            {unread}
            <span className="visually-hidden"> unread</span>
          </span>
        )}
        {count !== null && (
          <span className="count muted" title={`${count} members`}>
            {count}
            <span className="visually-hidden"> members</span>
          </span>
        )}
      </button>
      <button type="button" className="icon-button" aria-label={`Leave #${channelId}`} title={`Leave #${channelId}`} onClick={onLeave}>
        ×
      </button>
    </li>
  );
}
