'use client';

import type { RtmMessage } from '@rtm-kit/react';
import { memo, useId } from 'react';
import { useStrings, type RtmStrings } from '../strings.js';
import { cx } from './internal.js';
import { isMediaMessage, type RtmMediaMessage } from './media.js';
import { MessageAttachment } from './MessageAttachment.js';
import { MessageText } from './MessageText.js';
import type { ChatRow } from './model/rows.js';
import { CheckIcon } from './icons.js';

export interface ChatMessageProps {
  /** The message with its grouping, day and delivery state. */
  readonly row: ChatRow;
  /** Send a failed own message again. */
  readonly onRetry: (messageId: string) => void;
  /** The other party of a one-to-one conversation, named in "not delivered". */
  readonly peerId?: string | undefined;
  /** What to do with a downloaded file (default: the browser's download). */
  readonly onDownloaded?: ((blob: Blob, message: RtmMediaMessage) => void) | undefined;
}

const DAY_MS = 86_400_000;

function dayLabel(day: number, strings: RtmStrings): string {
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  const diff = Math.round((today.getTime() - day) / DAY_MS);
  if (diff === 0) return strings.today;
  if (diff === 1) return strings.yesterday;
  return strings.formatDay(new Date(day));
}

/** The separator above the first message of a day. */
export function DaySeparator({ day }: { readonly day: number }) {
  const strings = useStrings();
  const label = dayLabel(day, strings);
  return (
    <div className="rtm-chat-day" role="separator" aria-label={label}>
      <span className="rtm-chat-day-label" aria-hidden="true">
        {label}
      </span>
    </div>
  );
}

function MessageContent({ message, onDownloaded }: { readonly message: RtmMessage; readonly onDownloaded: ChatMessageProps['onDownloaded'] }) {
  const strings = useStrings();
  if ('text' in message) {
    return (
      <p className="rtm-chat-message-text">
        <MessageText text={message.text} />
      </p>
    );
  }
  if (isMediaMessage(message)) return <MessageAttachment message={message} onDownloaded={onDownloaded} />;
  return <p className="rtm-chat-message-text">{strings.rawMessage(message.rawMessage.byteLength, message.description ?? '')}</p>;
}

function DeliveryStatus({ row, bodyId, onRetry, peerId }: { readonly row: ChatRow; readonly bodyId: string; readonly onRetry: (id: string) => void; readonly peerId: string | undefined }) {
  const strings = useStrings();
  const { item, state } = row;
  switch (state) {
    case 'received':
      return 'isOfflineMessage' in item && item.isOfflineMessage ? <p className="rtm-chat-message-status">{strings.receivedWhileAway}</p> : null;
    case 'sending':
      return <p className="rtm-chat-message-status">{strings.sending}</p>;
    case 'sent':
      return (
        <p className="rtm-chat-message-status">
          <CheckIcon />
          <span className="rtm-visually-hidden">{strings.sent}</span>
        </p>
      );
    case 'failed':
      return (
        <p className="rtm-chat-message-status">
          <span>{strings.failed}</span>
          {item.error !== undefined && <span className="rtm-chat-message-error"> {item.error.message}</span>}{' '}
          <button type="button" className="rtm-button rtm-chat-retry" aria-describedby={bodyId} onClick={() => onRetry(item.id)}>
            {strings.retry}
          </button>
        </p>
      );
    case 'stored':
      return <p className="rtm-chat-message-status">{strings.stored}</p>;
    case 'undelivered':
      return <p className="rtm-chat-message-status">{strings.undelivered(peerId ?? ('peerId' in item ? item.peerId : ''))}</p>;
    default: {
      const unknown: never = state;
      return unknown;
    }
  }
}

/**
 * One message: a day separator above the first of a day, the sender's name and time once per
 * group, the content (text with safe links, a file or an image), and for own messages the
 * delivery state with Retry when it failed. `data-state` is the delivery state.
 */
export const ChatMessage = memo(function ChatMessage({ row, onRetry, peerId, onDownloaded }: ChatMessageProps) {
  const strings = useStrings();
  const bodyId = useId();
  const { item, own, groupStart } = row;
  const time = new Date(item.serverReceivedTs);
  const timeElement = (
    <time className="rtm-chat-message-time" dateTime={time.toISOString()}>
      {strings.formatTime(time)}
    </time>
  );
  return (
    <>
      {row.dayStart && <DaySeparator day={row.day} />}
      <div
        className={cx('rtm-chat-message', own && 'rtm-chat-message-own')}
        data-id={item.id}
        data-state={row.state}
        data-own={own ? 'true' : 'false'}
        data-group={groupStart ? 'start' : 'continue'}
      >
        {groupStart && (
          <p className="rtm-chat-message-meta">
            <span className="rtm-chat-message-sender">{own ? strings.you : item.from}</span> {timeElement}
          </p>
        )}
        <div className="rtm-chat-message-body" id={bodyId}>
          <MessageContent message={item.message} onDownloaded={onDownloaded} />
          {!groupStart && timeElement}
        </div>
        <DeliveryStatus row={row} bodyId={bodyId} onRetry={onRetry} peerId={peerId} />
      </div>
    </>
  );
});
