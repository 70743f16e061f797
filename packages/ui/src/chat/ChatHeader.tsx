'use client';

import { useChannelAttributes, useChannelMembers, useConnectionState, usePeerStatus, useRtmStore } from '@rtm-kit/react';
import { memo, useState, type FormEvent, type ReactNode } from 'react';
import { useStrings, type RtmStrings } from '../strings.js';
import { cx } from './internal.js';
import { PresenceDot } from './PresenceDot.js';
import { StringsScope } from './StringsScope.js';

/** The channel attribute the demo and `ChatPanel` keep a channel's topic in. */
export const DEFAULT_TOPIC_KEY = 'topic';

/** Members are told of every topic change (`AttributesUpdated`), so their headers follow. */
const NOTIFY = { enableNotificationToChannelMembers: true } as const;

export interface ChannelTopicProps {
  readonly channelId: string;
  /** The channel attribute holding the topic. Default `topic`. */
  readonly topicKey?: string | undefined;
  /** Offer "Edit topic" (writes the attribute and notifies members). Default false. */
  readonly editable?: boolean | undefined;
  readonly className?: string | undefined;
  readonly strings?: Partial<RtmStrings> | undefined;
}

/**
 * A channel's topic from its attributes, live while the channel is joined; optionally editable.
 * `data-state` is `set` or `unset`.
 *
 * @example
 * <ChannelTopic channelId="lobby" editable />
 */
export function ChannelTopic(props: ChannelTopicProps) {
  return (
    <StringsScope strings={props.strings}>
      <Topic {...props} />
    </StringsScope>
  );
}

function Topic({ channelId, topicKey = DEFAULT_TOPIC_KEY, editable = false, className }: ChannelTopicProps) {
  const strings = useStrings();
  const { uid, state } = useConnectionState();
  const { attributes, error, addOrUpdate, remove } = useChannelAttributes(channelId);
  const [draft, setDraft] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const topic = attributes[topicKey];

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (draft === null) return;
    const value = draft.trim();
    setSaving(true);
    try {
      if (value === '') await remove([topicKey], NOTIFY);
      else await addOrUpdate({ [topicKey]: value }, NOTIFY);
      setDraft(null);
    } catch {
      // The hook keeps the error in `error`, shown below.
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className={cx('rtm-chat-topic', className)} data-state={topic === undefined ? 'unset' : 'set'}>
      {draft === null ? (
        <p className="rtm-chat-topic-line">
          <span className="rtm-chat-topic-label">{strings.topic}:</span>{' '}
          {/* Polite: members hear a topic someone else just set. */}
          <span className="rtm-chat-topic-value" aria-live="polite" title={topic === undefined ? undefined : strings.topicSetBy(topic.lastUpdateUserId === uid ? strings.you : topic.lastUpdateUserId, new Date(topic.lastUpdateTs))}>
            {topic?.value ?? strings.noTopic}
          </span>
          {/* Offered while connected only: in an ended session saving could only fail. */}
          {editable && state === 'CONNECTED' && (
            <>
              {' '}
              <button type="button" className="rtm-button rtm-chat-topic-edit" onClick={() => setDraft(topic?.value ?? '')}>
                {strings.editTopic}
              </button>
            </>
          )}
        </p>
      ) : (
        <form className="rtm-chat-topic-form" onSubmit={(e) => void save(e)}>
          <input
            className="rtm-chat-topic-input"
            aria-label={strings.newTopic}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            maxLength={1000}
            autoFocus
          />
          <button type="submit" className="rtm-button" data-variant="primary" disabled={saving}>
            {strings.saveTopic}
          </button>
          <button type="button" className="rtm-button" onClick={() => setDraft(null)}>
            {strings.cancelTopic}
          </button>
        </form>
      )}
      {error !== null && (
        <p className="rtm-chat-topic-error" role="alert">
          {error.message}
        </p>
      )}
    </div>
  );
}

export interface ChannelHeaderProps {
  readonly channelId: string;
  readonly topicKey?: string | undefined;
  readonly topicEditable?: boolean | undefined;
  /** Controls at the end of the header. */
  readonly actions?: ReactNode;
  readonly className?: string | undefined;
  readonly strings?: Partial<RtmStrings> | undefined;
}

/**
 * A channel's heading, member count and topic.
 *
 * @example
 * <ChannelHeader channelId="lobby" topicEditable />
 */
export const ChannelHeader = memo(function ChannelHeader(props: ChannelHeaderProps) {
  return (
    <StringsScope strings={props.strings}>
      <ChannelHeading {...props} />
    </StringsScope>
  );
});

function ChannelHeading({ channelId, topicKey, topicEditable, actions, className }: ChannelHeaderProps) {
  const strings = useStrings();
  const { members, memberCount } = useChannelMembers(channelId);
  // A channel that cannot be joined has no attributes to show either (the panel says why).
  const status = useRtmStore((s) => s.channels[channelId]?.status);
  const failed = status === 'error';
  return (
    <header className={cx('rtm-chat-header', className)} data-kind="channel">
      <div className="rtm-chat-header-main">
        <h2 className="rtm-chat-title">{strings.channelTitle(channelId)}</h2>
        {/* Only while joined: a session that ended knows no count (it would read "0 members"). */}
        {status === 'joined' && <p className="rtm-chat-header-count">{strings.memberCount(memberCount ?? members.length)}</p>}
      </div>
      {!failed && <ChannelTopic channelId={channelId} topicKey={topicKey} editable={topicEditable} />}
      {actions !== undefined && <div className="rtm-chat-header-actions">{actions}</div>}
    </header>
  );
}

export interface PeerHeaderProps {
  readonly peerId: string;
  /** Controls at the end of the header, e.g. `<CallButton peerId="bob" />`. */
  readonly actions?: ReactNode;
  readonly className?: string | undefined;
  readonly strings?: Partial<RtmStrings> | undefined;
}

/**
 * A conversation's heading with the peer's online status, live.
 *
 * @example
 * <PeerHeader peerId="bob" actions={<CallButton peerId="bob" />} />
 */
export const PeerHeader = memo(function PeerHeader(props: PeerHeaderProps) {
  return (
    <StringsScope strings={props.strings}>
      <PeerHeading {...props} />
    </StringsScope>
  );
});

function PeerHeading({ peerId, actions, className }: PeerHeaderProps) {
  const status = usePeerStatus(peerId)[peerId];
  return (
    <header className={cx('rtm-chat-header', className)} data-kind="peer">
      <div className="rtm-chat-header-main">
        <h2 className="rtm-chat-title">{peerId}</h2>
        <PresenceDot state={status} withLabel />
      </div>
      {actions !== undefined && <div className="rtm-chat-header-actions">{actions}</div>}
    </header>
  );
}
