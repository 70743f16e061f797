import type { MessageItem, RtmMessage } from '@rtm-kit/react';
import { useEffect, useRef } from 'react';

/** A channel message, or a peer message with its delivery details. */
type ListedMessage = MessageItem & { readonly isOfflineMessage?: boolean; readonly hasPeerReceived?: boolean };

interface MessageListProps {
  /** The log's accessible name, e.g. "Messages in #lobby". */
  label: string;
  uid: string;
  messages: readonly ListedMessage[];
  onRetry: (messageId: string) => void;
  /** Shown while there are no messages. */
  empty: string;
  /** The peer of a one-to-one conversation, to say whether a sent message reached them. */
  peerId?: string;
}

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

function textOf(message: RtmMessage): string {
  if ('text' in message) return message.text;
  if (message.messageType === 'FILE' || message.messageType === 'IMAGE') return `(${message.messageType.toLowerCase()}: ${message.fileName})`;
  return `(binary message, ${message.rawMessage.byteLength} bytes)`;
}

function deliveryOf(item: ListedMessage, peerId: string | undefined): string | null {
  switch (item.status) {
    case undefined:
      return item.isOfflineMessage === true ? 'sent while you were away' : null;
    case 'sending':
      return 'sending…';
    case 'failed':
      return `not sent: ${item.error?.message ?? 'unknown error'}`;
    case 'sent':
      // A peer that was offline gets it at their next login (offline messaging).
      return item.hasPeerReceived === false && peerId !== undefined ? `kept until ${peerId} is online` : null;
    default: {
      const unexpected: never = item.status;
      return unexpected;
    }
  }
}

/** Messages in order, newest at the bottom (kept in view), own ones with their delivery state. */
export function MessageList({ label, uid, messages, onRetry, empty, peerId }: MessageListProps) {
  const log = useRef<HTMLDivElement>(null);
  const last = messages.at(-1)?.id;
  useEffect(() => {
    const element = log.current;
    if (element !== null) element.scrollTop = element.scrollHeight;
  }, [last]);

  return (
    <div ref={log} className="messages" role="log" aria-label={label} tabIndex={0}>
      {messages.length === 0 ? (
        <p className="muted empty">{empty}</p>
      ) : (
        <ol>
          {messages.map((item) => {
            const own = item.from === uid;
            const delivery = deliveryOf(item, peerId);
            return (
              <li key={item.id} className={own ? 'message own' : 'message'} data-status={item.status}>
                <div className="message-meta">
                  <span className="message-from">{own ? 'You' : item.from}</span>
                  <time dateTime={new Date(item.serverReceivedTs).toISOString()}>{time.format(item.serverReceivedTs)}</time>
                </div>
                <p className="message-text">{textOf(item.message)}</p>
                {delivery !== null && (
                  <p className="message-delivery">
                    {delivery}
                    {item.status === 'failed' && (
                      <button type="button" className="link-button" onClick={() => onRetry(item.id)}>
                        Retry
                      </button>
                    )}
                  </p>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
