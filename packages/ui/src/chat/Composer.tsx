'use client';

import { DEFAULT_LIMITS } from '@rtm-kit/protocol';
import { useCallback, useId, useRef, type ClipboardEvent, type FormEvent, type RefObject } from 'react';
import { useStrings, type RtmStrings } from '../strings.js';
import { AttachmentTray } from './AttachmentTray.js';
import { cx } from './internal.js';
import { StringsScope } from './StringsScope.js';
import { chatTargetOf, targetName, type ChatTarget, type ChatTargetProps } from './target.js';
import { useAttachments } from './useAttachments.js';
import { useChatSend } from './useChatSend.js';
import { useChatState, type ChatBlockReason } from './useChatState.js';
import { useComposer } from './useComposer.js';
import { useFileDrop } from './useFileDrop.js';
import { PaperclipIcon } from './icons.js';

export type ComposerProps = ChatTargetProps & {
  /** Peer messages: kept by the server for an offline peer. Default true. */
  readonly offlineMessaging?: boolean | undefined;
  /** Largest text in UTF-8 bytes; default the protocol's 32 KB. */
  readonly maxBytes?: number | undefined;
  /** Largest attachment in bytes; default the protocol's 30 MB. */
  readonly maxFileBytes?: number | undefined;
  /** Offer file and image attachments (button, drag and drop, paste). Default true. */
  readonly attachments?: boolean | undefined;
  /** Where files can be dropped (default: the composer). `ChatPanel` passes its whole panel. */
  readonly dropTargetRef?: RefObject<HTMLElement | null> | undefined;
  readonly className?: string | undefined;
  readonly strings?: Partial<RtmStrings> | undefined;
};

function blockedText(blocked: ChatBlockReason, target: ChatTarget, strings: RtmStrings): string {
  const name = targetName(target);
  switch (blocked) {
    case 'connecting':
      return strings.composerConnecting;
    case 'joining':
      return strings.composerJoining(name);
    case 'reconnecting':
      return strings.composerReconnecting;
    case 'offline':
    case 'login-error':
      return strings.composerOffline;
    case 'join-error':
      return strings.composerNotJoined(name);
    default: {
      const unknown: never = blocked;
      return unknown;
    }
  }
}

/**
 * The message box of a channel or conversation: a textbox named "Message lobby" (Enter sends,
 * Shift+Enter adds a line), the 32 KB limit shown as it nears (Send disabled with the reason
 * over it), attachments up to 30 MB with progress and Cancel, and disabled with the reason while
 * connecting, joining, reconnecting or offline. `data-state` is `enabled` or `disabled`.
 *
 * @example
 * <Composer peerId="bob" />
 */
export function Composer(props: ComposerProps) {
  return (
    <StringsScope strings={props.strings}>
      <ConnectedComposer {...props} />
    </StringsScope>
  );
}

function ConnectedComposer(props: ComposerProps) {
  const target = chatTargetOf(props, 'Composer');
  const strings = useStrings();
  const { blocked } = useChatState(target);
  const send = useChatSend(target, { offlineMessaging: props.offlineMessaging ?? true });
  const onSend = useCallback((text: string) => void send(text), [send]);
  const composer = useComposer({ onSend, disabled: blocked !== null, maxBytes: props.maxBytes ?? DEFAULT_LIMITS.messageMaxBytes });
  const attach = useAttachments({ send, maxBytes: props.maxFileBytes ?? DEFAULT_LIMITS.mediaMaxBytes });
  const withAttachments = props.attachments ?? true;

  const formRef = useRef<HTMLFormElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const textbox = useRef<HTMLTextAreaElement>(null);
  const dragging = useFileDrop(props.dropTargetRef ?? formRef, attach.add, withAttachments && blocked === null);
  const reasonId = useId();
  const limitId = useId();
  const overId = useId();
  const hintId = useId();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (composer.submit()) textbox.current?.focus();
  };
  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = Array.from(event.clipboardData.files);
    if (!withAttachments || files.length === 0) return;
    // A pasted picture often comes with its address as text: take the file, not the text.
    event.preventDefault();
    attach.add(files);
  };

  const reason = blocked === null ? null : blockedText(blocked, target, strings);
  const describedBy = cx(reason !== null && reasonId, composer.limit === 'near' && limitId, composer.limit === 'over' && overId);
  return (
    <form
      ref={formRef}
      className={cx('rtm-chat-composer', props.className)}
      data-state={blocked === null ? 'enabled' : 'disabled'}
      onSubmit={onSubmit}
    >
      {withAttachments && <AttachmentTray attachments={attach.attachments} maxBytes={attach.maxBytes} cancel={attach.cancel} dismiss={attach.dismiss} />}
      {dragging && (
        <p className="rtm-chat-dropzone" aria-hidden="true">
          {strings.dropFiles}
        </p>
      )}
      <p id={reasonId} className="rtm-chat-composer-reason" role="status">
        {reason}
      </p>
      <div className="rtm-chat-composer-row">
        {withAttachments && (
          <>
            <button
              type="button"
              className="rtm-button rtm-chat-icon-button rtm-chat-attach"
              disabled={blocked !== null}
              aria-describedby={hintId}
              onClick={() => fileInput.current?.click()}
            >
              <PaperclipIcon />
              <span className="rtm-visually-hidden">{strings.attachFile}</span>
            </button>
            <input
              ref={fileInput}
              type="file"
              multiple
              hidden
              tabIndex={-1}
              aria-label={strings.attachFile}
              disabled={blocked !== null}
              onChange={(event) => {
                attach.add(Array.from(event.target.files ?? []));
                // The same file can be picked again.
                event.target.value = '';
              }}
            />
          </>
        )}
        <textarea
          ref={textbox}
          className="rtm-chat-input"
          aria-label={strings.messageTo(targetName(target))}
          placeholder={strings.messageTo(targetName(target))}
          rows={1}
          value={composer.value}
          onChange={composer.onChange}
          onKeyDown={composer.onKeyDown}
          onPaste={onPaste}
          disabled={blocked !== null}
          aria-invalid={composer.limit === 'over' ? true : undefined}
          {...(describedBy === '' ? {} : { 'aria-describedby': describedBy })}
        />
        <button
          type="submit"
          className="rtm-button rtm-chat-send"
          data-variant="primary"
          disabled={!composer.canSend}
          {...(describedBy === '' ? {} : { 'aria-describedby': describedBy })}
        >
          {strings.send}
        </button>
      </div>
      <div className="rtm-chat-composer-meta">
        {withAttachments && (
          <span id={hintId} className="rtm-chat-composer-hint">
            {strings.attachHint(attach.maxBytes)}
          </span>
        )}
        {/* The count is read on demand (described-by); only going over the limit is announced. */}
        <span id={limitId} className="rtm-chat-counter" data-state={composer.limit}>
          {composer.limit === 'near' && strings.byteCounter(composer.bytes, composer.maxBytes)}
        </span>
        <span id={overId} className="rtm-chat-limit" role="status">
          {composer.limit === 'over' && strings.tooLong(composer.bytes, composer.maxBytes)}
        </span>
      </div>
    </form>
  );
}
