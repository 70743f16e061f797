'use client';

import { useRef, type ComponentType, type ReactNode } from 'react';
import { CallButton } from '../call/CallButton.js';
import { useStrings, type RtmStrings } from '../strings.js';
import { ChannelHeader, PeerHeader } from './ChatHeader.js';
import type { ChatMessageProps } from './ChatMessage.js';
import { Composer } from './Composer.js';
import { cx } from './internal.js';
import type { RtmMediaMessage } from './media.js';
import { MemberList } from './MemberList.js';
import { MessageList } from './MessageList.js';
import { StringsScope } from './StringsScope.js';
import { chatTargetOf, type ChatTarget, type ChatTargetProps } from './target.js';
import { useChatState, type ChatState } from './useChatState.js';

export type ChatPanelProps = ChatTargetProps & {
  /** Override any strings of the panel and its parts. */
  readonly strings?: Partial<RtmStrings> | undefined;
  /** Force the light or dark theme on the panel (`data-theme`); default: the page's. */
  readonly theme?: 'light' | 'dark' | undefined;
  readonly className?: string | undefined;
  /** Channels: the channel attribute holding the topic. Default `topic`. */
  readonly topicKey?: string | undefined;
  /** Channels: offer "Edit topic". Default false. */
  readonly topicEditable?: boolean | undefined;
  /** Channels: show the member list beside the messages. Default true. */
  readonly showMembers?: boolean | undefined;
  /** Channels: makes members buttons, e.g. to open a conversation with them. */
  readonly onSelectMember?: ((uid: string) => void) | undefined;
  /** Channels: extra controls per member, e.g. a call button. */
  readonly memberActions?: ((uid: string) => ReactNode) | undefined;
  /** Controls at the end of the header. */
  readonly headerActions?: ReactNode;
  /**
   * Peers: a `CallButton` in the header ("Call bob"). Default true; mount a `<CallDialog />` in
   * the app to show the call.
   */
  readonly callButton?: boolean | undefined;
  /** Peers: keep messages for an offline peer (1.4.x offline messaging). Default true. */
  readonly offlineMessaging?: boolean | undefined;
  /** Offer file and image attachments. Default true. */
  readonly attachments?: boolean | undefined;
  /** Renders one message; default `ChatMessage`. */
  readonly messageComponent?: ComponentType<ChatMessageProps> | undefined;
  /** What to do with a downloaded file (default: the browser's download). */
  readonly onDownloaded?: ((blob: Blob, message: RtmMediaMessage) => void) | undefined;
};

function Banner({ chat, target }: { readonly chat: ChatState; readonly target: ChatTarget }) {
  const strings = useStrings();
  switch (chat.state) {
    case 'reconnecting':
      return (
        <p className="rtm-chat-banner" data-state="reconnecting" role="status">
          {strings.reconnecting}
        </p>
      );
    case 'offline':
      return (
        <p className="rtm-chat-banner" data-state="offline" role="status">
          {strings.offline}
        </p>
      );
    case 'error': {
      const reason = chat.error?.message ?? '';
      return (
        <div className="rtm-chat-banner" data-state="error" role="alert">
          <p>{target.channelId !== undefined && chat.blocked === 'join-error' ? strings.joinFailed(target.channelId, reason) : strings.loginFailed(reason)}</p>
          {chat.blocked === 'join-error' && (
            <button type="button" className="rtm-button" onClick={chat.retryJoin}>
              {strings.tryAgain}
            </button>
          )}
        </div>
      );
    }
    default:
      return null;
  }
}

/**
 * A complete chat for a channel (`channelId`) or a one-to-one conversation (`peerId`): header
 * (name, topic and member count, or the peer's status), the virtualized message log, the
 * composer with attachments, and for channels the member list. Assembled from the exported
 * parts (`ChannelHeader`/`PeerHeader`, `MessageList`, `Composer`, `MemberList`), which an app
 * can arrange itself. `data-state` on the panel: loading, ready, empty, reconnecting, offline,
 * error. Must be inside `<RtmProvider>`.
 *
 * @example
 * <ChatPanel channelId="lobby" />
 * <ChatPanel peerId="bob" />
 */
export function ChatPanel(props: ChatPanelProps) {
  return (
    <StringsScope strings={props.strings}>
      <Panel {...props} />
    </StringsScope>
  );
}

function Panel(props: ChatPanelProps) {
  const target = chatTargetOf(props, 'ChatPanel');
  const strings = useStrings();
  const chat = useChatState(target);
  const root = useRef<HTMLElement>(null);
  const { channelId, peerId } = target;
  const showMembers = channelId !== undefined && (props.showMembers ?? true);
  const label = channelId !== undefined ? strings.chatIn(channelId) : strings.chatWith(peerId as string);
  const list = channelId !== undefined ? { channelId } : { peerId: peerId as string };

  return (
    // A named group, not a region landmark: an app decides its own landmarks, and two panels of
    // one channel on a page (a pop-out beside the main view) must not make landmarks clash.
    <section
      ref={root}
      role="group"
      className={cx('rtm-chat', props.className)}
      data-state={chat.state}
      data-kind={channelId !== undefined ? 'channel' : 'peer'}
      data-theme={props.theme}
      aria-label={label}
    >
      {channelId !== undefined ? (
        <ChannelHeader channelId={channelId} topicKey={props.topicKey} topicEditable={props.topicEditable} actions={props.headerActions} />
      ) : (
        <PeerHeader
          peerId={peerId as string}
          actions={
            (props.callButton ?? true) || props.headerActions !== undefined ? (
              <>
                {props.headerActions}
                {(props.callButton ?? true) && <CallButton peerId={peerId as string} />}
              </>
            ) : undefined
          }
        />
      )}
      <div className="rtm-chat-body">
        <div className="rtm-chat-main">
          <Banner chat={chat} target={target} />
          <MessageList
            {...list}
            offlineMessaging={props.offlineMessaging}
            messageComponent={props.messageComponent}
            onDownloaded={props.onDownloaded}
          />
          <Composer {...list} offlineMessaging={props.offlineMessaging} attachments={props.attachments} dropTargetRef={root} />
        </div>
        {showMembers && <MemberList channelId={channelId} onSelectMember={props.onSelectMember} memberActions={props.memberActions} />}
      </div>
    </section>
  );
}
