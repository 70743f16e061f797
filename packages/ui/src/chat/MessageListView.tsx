'use client';

import { forwardRef, memo, useCallback, useEffect, useMemo, useRef, useState, type ComponentType, type CSSProperties, type ReactNode, type UIEvent } from 'react';
import { Virtuoso, type Components, type VirtuosoHandle } from 'react-virtuoso';
import { useStrings, type RtmStrings } from '../strings.js';
import { ChatMessage, type ChatMessageProps } from './ChatMessage.js';
import { cx, useIsomorphicLayoutEffect, useStableCallback } from './internal.js';
import type { RtmMediaMessage } from './media.js';
import { RowBuilder, type ChatRow } from './model/rows.js';
import { StringsScope } from './StringsScope.js';
import type { ChatItem } from './target.js';
import { useFirstItemIndex } from './useFirstItemIndex.js';
import { useScrollFollow } from './useScrollFollow.js';
import { ArrowDownIcon } from './icons.js';

/*
 * Why react-virtuoso: it is built for chat-like lists. `followOutput` sticks to the bottom only
 * while the user is there, `atBottomStateChange` drives the "N new messages" button,
 * `firstItemIndex` keeps the viewport still when items are prepended or dropped from the top,
 * `initialTopMostItemIndex` opens at the newest message, and rows of any height are measured by
 * the library as they render (messages wrap, carry images, change state). @tanstack/react-virtual
 * is smaller and headless, but each of those would be our own code: size estimates and
 * re-measuring, bottom anchoring, and scroll correction on prepend, which is where chat lists
 * usually go wrong.
 */

export interface MessageListViewProps {
  /** The messages, oldest first. */
  readonly messages: readonly ChatItem[];
  /** This user's uid: their messages are own messages. */
  readonly uid: string | null;
  /** The log's accessible name, e.g. "Messages in lobby". */
  readonly label: string;
  /** Send a failed own message again (the Retry button). */
  readonly onRetry?: ((messageId: string) => void) | undefined;
  /** The peer of a one-to-one conversation. */
  readonly peerId?: string | undefined;
  /** Whether peer messages were sent with offline messaging (stored vs. undelivered). Default true. */
  readonly offlineMessaging?: boolean | undefined;
  /** Shown inside the log while there are no messages. */
  readonly empty?: ReactNode;
  /** Renders one message; default `ChatMessage`. Pass a stable component (not an inline function). */
  readonly messageComponent?: ComponentType<ChatMessageProps> | undefined;
  /**
   * Messages rendered, newest last, where the list cannot measure itself (no layout: server
   * rendering, a hidden container, a DOM without rendering). Default 50.
   */
  readonly plainCount?: number | undefined;
  /** Called when the user scrolls to the oldest message, to load older ones (prepend them). */
  readonly onStartReached?: (() => void) | undefined;
  /** What to do with a downloaded file (default: the browser's download). */
  readonly onDownloaded?: ((blob: Blob, message: RtmMediaMessage) => void) | undefined;
  readonly className?: string | undefined;
  readonly strings?: Partial<RtmStrings> | undefined;
}

/** Within this many pixels of the end the user counts as at the bottom. */
const AT_BOTTOM_PX = 48;
/** A scroll within this long of the user's wheel, touch, key or pointer input is the user's. */
const USER_SCROLL_MS = 1_000;

function noRetry(): void {}

interface RowContext {
  readonly empty: ReactNode;
}

const VirtualList = forwardRef<HTMLUListElement, { children?: ReactNode; style?: CSSProperties | undefined; 'data-testid'?: string | undefined }>(function VirtualList(
  { children, style, 'data-testid': testId },
  ref,
) {
  return (
    <ul ref={ref} className="rtm-chat-list" style={style} data-testid={testId}>
      {children}
    </ul>
  );
});

const VIRTUAL_COMPONENTS: Components<ChatRow, RowContext, HTMLUListElement> = {
  List: VirtualList,
  Item: ({ children, item: _item, context: _context, ...rest }) => (
    <li className="rtm-chat-row" {...rest}>
      {children}
    </li>
  ),
  EmptyPlaceholder: ({ context }) => <div className="rtm-chat-empty">{context.empty}</div>,
};

interface MessageRowProps {
  readonly row: ChatRow;
  readonly Message: ComponentType<ChatMessageProps>;
  readonly onRetry: (messageId: string) => void;
  readonly peerId: string | undefined;
  readonly onDownloaded: ((blob: Blob, message: RtmMediaMessage) => void) | undefined;
}

/** Re-renders only when its row object changes: rows are reused while their message is unchanged. */
const MessageRow = memo(function MessageRow({ row, Message, onRetry, peerId, onDownloaded }: MessageRowProps) {
  return <Message row={row} onRetry={onRetry} peerId={peerId} onDownloaded={onDownloaded} />;
});

/**
 * A virtualized message log over plain messages (no store): grouping, day separators, delivery
 * states, following the newest message, and a "N new messages" button while the user reads
 * older ones. `MessageList` is this over a channel or conversation.
 *
 * Where nothing has a size (server rendering, a DOM without layout, a hidden container) it renders
 * the newest `plainCount` messages plainly, and switches to the virtual list once it has a height.
 */
export function MessageListView(props: MessageListViewProps) {
  return (
    <StringsScope strings={props.strings}>
      <MessageListViewInner {...props} />
    </StringsScope>
  );
}

function MessageListViewInner({
  messages,
  uid,
  label,
  onRetry,
  peerId,
  offlineMessaging = true,
  empty,
  messageComponent = ChatMessage,
  plainCount = 50,
  onStartReached,
  onDownloaded,
  className,
}: MessageListViewProps) {
  const strings = useStrings();
  const builder = useRef<RowBuilder | null>(null);
  builder.current ??= new RowBuilder();
  const rows = useMemo(() => (builder.current as RowBuilder).build(messages, uid, offlineMessaging), [messages, uid, offlineMessaging]);
  const isOwn = useCallback((item: ChatItem) => uid !== null && item.from === uid, [uid]);
  const follow = useScrollFollow({ items: messages, isOwn });
  const firstItemIndex = useFirstItemIndex(messages);
  const retry = useStableCallback(onRetry ?? noRetry);

  const [virtual, setVirtual] = useState(false);
  const plainRef = useRef<HTMLDivElement>(null);
  const virtuosoRef = useRef<VirtuosoHandle>(null);
  const [scroller, setScroller] = useState<HTMLElement | null>(null);
  const scrollerRef = useCallback((element: HTMLElement | Window | null) => setScroller(element instanceof HTMLElement ? element : null), []);
  // Whether the list keeps to the newest message. Rows are measured as they render, so an
  // appended message that turns out taller than estimated leaves the list short of the bottom;
  // only the user's own scrolling (wheel, touch, keys, the scrollbar) lets go of the bottom.
  const sticky = useRef(true);
  const lastUserInput = useRef(-Infinity);
  useEffect(() => {
    if (scroller === null) return;
    const mark = () => {
      lastUserInput.current = performance.now();
    };
    const events = ['wheel', 'touchmove', 'keydown', 'mousedown'] as const;
    for (const event of events) scroller.addEventListener(event, mark, { passive: true });
    return () => {
      for (const event of events) scroller.removeEventListener(event, mark);
    };
  }, [scroller]);
  const scrollToBottom = useCallback(() => virtuosoRef.current?.scrollToIndex({ index: 'LAST', align: 'end', behavior: 'auto' }), []);
  const onVirtualAtBottom = useCallback(
    (atBottom: boolean) => {
      if (atBottom) {
        sticky.current = true;
        follow.onAtBottomChange(true);
        return;
      }
      const byUser = performance.now() - lastUserInput.current < USER_SCROLL_MS;
      if (sticky.current && !byUser) {
        scrollToBottom();
        return;
      }
      sticky.current = false;
      follow.onAtBottomChange(false);
    },
    [follow, scrollToBottom],
  );
  const onHeightChanged = useCallback(() => {
    if (sticky.current) scrollToBottom();
  }, [scrollToBottom]);

  // Switch to the virtual list once the log has a height; until then (and on the server) the
  // plain list shows the newest messages, so they are there even where nothing is measured.
  useIsomorphicLayoutEffect(() => {
    if (virtual) return;
    const element = plainRef.current;
    if (element === null) return;
    if (element.clientHeight > 0) {
      setVirtual(true);
      return;
    }
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (element.clientHeight > 0) setVirtual(true);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [virtual]);

  // The plain list follows the newest message the way the virtual one does.
  useIsomorphicLayoutEffect(() => {
    const element = plainRef.current;
    if (virtual || element === null) return;
    if (follow.shouldFollow(follow.atBottom)) element.scrollTop = element.scrollHeight;
  }, [rows, virtual]);

  const onPlainScroll = useCallback(
    (event: UIEvent<HTMLDivElement>) => {
      const el = event.currentTarget;
      const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= AT_BOTTOM_PX;
      if (atBottom !== follow.atBottom) follow.onAtBottomChange(atBottom);
      if (el.scrollTop === 0 && el.scrollHeight > el.clientHeight) onStartReached?.();
    },
    [follow, onStartReached],
  );

  const jumpToLatest = useCallback(() => {
    if (virtual) {
      sticky.current = true;
      scrollToBottom();
    } else if (plainRef.current !== null) {
      plainRef.current.scrollTop = plainRef.current.scrollHeight;
      follow.onAtBottomChange(true);
    }
    follow.markSeen();
  }, [virtual, follow, scrollToBottom]);

  const renderRow = useCallback(
    (row: ChatRow) => <MessageRow row={row} Message={messageComponent} onRetry={retry} peerId={peerId} onDownloaded={onDownloaded} />,
    [messageComponent, retry, peerId, onDownloaded],
  );
  const context = useMemo<RowContext>(() => ({ empty }), [empty]);
  const plainRows = rows.length > plainCount ? rows.slice(rows.length - plainCount) : rows;

  return (
    <div className={cx('rtm-chat-messages', className)} data-mode={virtual ? 'virtual' : 'plain'}>
      {virtual ? (
        <Virtuoso<ChatRow, RowContext>
          ref={virtuosoRef}
          className="rtm-chat-log"
          role="log"
          aria-label={label}
          data={rows}
          context={context}
          firstItemIndex={firstItemIndex}
          initialTopMostItemIndex={{ index: 'LAST', align: 'end' }}
          computeItemKey={(_, row) => row.item.id}
          itemContent={(_, row) => renderRow(row)}
          scrollerRef={scrollerRef}
          followOutput={(isAtBottom) => (sticky.current || follow.shouldFollow(isAtBottom) ? 'auto' : false)}
          atBottomStateChange={onVirtualAtBottom}
          totalListHeightChanged={onHeightChanged}
          atBottomThreshold={AT_BOTTOM_PX}
          increaseViewportBy={{ top: 600, bottom: 300 }}
          components={VIRTUAL_COMPONENTS}
          {...(onStartReached === undefined ? {} : { startReached: () => onStartReached() })}
        />
      ) : (
        <div ref={plainRef} className="rtm-chat-log" role="log" aria-label={label} tabIndex={0} onScroll={onPlainScroll}>
          {rows.length === 0 ? (
            <div className="rtm-chat-empty">{empty}</div>
          ) : (
            <ul className="rtm-chat-list">
              {plainRows.map((row) => (
                <li key={row.item.id} className="rtm-chat-row">
                  {renderRow(row)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {follow.unseen > 0 && (
        <button type="button" className="rtm-button rtm-chat-jump" data-variant="primary" onClick={jumpToLatest}>
          <ArrowDownIcon />
          {strings.newMessages(follow.unseen)}
        </button>
      )}
    </div>
  );
}
