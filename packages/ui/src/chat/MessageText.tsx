'use client';

import { Fragment, memo, useMemo } from 'react';
import { linkify } from './model/linkify.js';

/**
 * Message text as text: markup shows as the characters it is, and http(s) addresses become links
 * that open in a new tab without access to this page (`rel="noopener noreferrer"`).
 */
export const MessageText = memo(function MessageText({ text }: { readonly text: string }) {
  const parts = useMemo(() => linkify(text), [text]);
  return (
    <>
      {parts.map((part, i) =>
        part.kind === 'text' ? (
          <Fragment key={i}>{part.text}</Fragment>
        ) : (
          <a key={i} className="rtm-chat-link" href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ),
      )}
    </>
  );
});
