'use client';

import { DEFAULT_LIMITS, utf8ByteLength } from '@rtm-kit/protocol';
import { useCallback, useMemo, useState, type ChangeEvent, type KeyboardEvent } from 'react';

/** Where the text stands against the message size limit. */
export type ComposerLimitState = 'ok' | 'near' | 'over';

export interface UseComposerOptions {
  /** Called with the text to send (never empty or only whitespace). */
  onSend(text: string): void;
  /** No sending while true (offline, reconnecting, not joined). */
  readonly disabled?: boolean;
  /**
   * Largest text in UTF-8 bytes, counted as the server counts it. Default: the protocol's
   * `messageMaxBytes` (32 KB, spec §10.2).
   */
  readonly maxBytes?: number;
  /** Share of `maxBytes` from which the counter shows (default 0.9). */
  readonly warnRatio?: number;
  /** The initial draft. */
  readonly defaultValue?: string;
}

export interface UseComposerResult {
  readonly value: string;
  setValue(value: string): void;
  /** UTF-8 bytes of the text: the unit of the server's limit. */
  readonly bytes: number;
  readonly maxBytes: number;
  readonly limit: ComposerLimitState;
  /** Whether `submit()` would send now. */
  readonly canSend: boolean;
  /** Sends the text if it can, clears the draft, and says whether it sent. */
  submit(): boolean;
  /** For the textbox: Enter sends, Shift+Enter (and Enter while composing text with an IME) inserts a new line. */
  onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): void;
  onChange(event: ChangeEvent<HTMLTextAreaElement>): void;
}

/**
 * The composer's state and keyboard, without markup: the draft, its size against the 32 KB limit,
 * and Enter to send.
 *
 * @example
 * const composer = useComposer({ onSend: (text) => void send(text) });
 * return <textarea aria-label="Message bob" value={composer.value} onChange={composer.onChange} onKeyDown={composer.onKeyDown} />;
 */
export function useComposer(options: UseComposerOptions): UseComposerResult {
  const { onSend, disabled = false, maxBytes = DEFAULT_LIMITS.messageMaxBytes, warnRatio = 0.9 } = options;
  const [value, setValue] = useState(options.defaultValue ?? '');
  const bytes = useMemo(() => utf8ByteLength(value), [value]);
  const limit: ComposerLimitState = bytes > maxBytes ? 'over' : bytes >= maxBytes * warnRatio ? 'near' : 'ok';
  const canSend = !disabled && limit !== 'over' && value.trim() !== '';

  const submit = useCallback(() => {
    if (!canSend) return false;
    onSend(value);
    setValue('');
    return true;
  }, [canSend, onSend, value]);

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLTextAreaElement>) => {
      if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
      // Enter never inserts a line: it sends, or does nothing while the text cannot be sent.
      event.preventDefault();
      submit();
    },
    [submit],
  );
  const onChange = useCallback((event: ChangeEvent<HTMLTextAreaElement>) => setValue(event.target.value), []);
  return { value, setValue, bytes, maxBytes, limit, canSend, submit, onKeyDown, onChange };
}
