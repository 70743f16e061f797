import { useChannelAttributes } from '@rtm-kit/react';
import { useState, type FormEvent } from 'react';

const TOPIC = 'topic';
/** Other members are told of every change (`AttributesUpdated`), so their header follows. */
const NOTIFY = { enableNotificationToChannelMembers: true } as const;

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** The channel's topic, kept in the channel attribute `topic`, and a form to change it. */
export function ChannelTopic({ channelId, uid }: { channelId: string; uid: string }) {
  const { attributes, error, addOrUpdate, remove } = useChannelAttributes(channelId);
  const [draft, setDraft] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const topic = attributes[TOPIC];

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (draft === null) return;
    const value = draft.trim();
    setSaving(true);
    try {
      if (value === '') await remove([TOPIC], NOTIFY);
      else await addOrUpdate({ [TOPIC]: value }, NOTIFY);
      setDraft(null);
    } catch {
      // The hook keeps the error in `error`, shown below.
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="topic">
      {draft === null ? (
        <p className="topic-line">
          <span className="topic-label">Topic:</span>{' '}
          <span className={topic === undefined ? 'topic-value muted' : 'topic-value'}>{topic?.value ?? 'none yet'}</span>
          <button type="button" className="link-button" onClick={() => setDraft(topic?.value ?? '')}>
            Edit topic
          </button>
        </p>
      ) : (
        <form className="inline-form" onSubmit={(e) => void save(e)}>
          <input aria-label="New topic" value={draft} onChange={(e) => setDraft(e.target.value)} autoFocus maxLength={200} placeholder="What is this channel about?" />
          <button type="submit" className="primary" disabled={saving}>
            Save topic
          </button>
          <button type="button" onClick={() => setDraft(null)}>
            Cancel
          </button>
        </form>
      )}
      {/* A live region: members hear about a topic someone else just set. */}
      <p className="muted small" role="status">
        {topic !== undefined &&
          `Topic set by ${topic.lastUpdateUserId === uid ? 'you' : topic.lastUpdateUserId} at ${time.format(topic.lastUpdateTs)}`}
      </p>
      {error !== null && (
        <p className="error small" role="alert">
          Topic: {error.message}
        </p>
      )}
    </div>
  );
}
