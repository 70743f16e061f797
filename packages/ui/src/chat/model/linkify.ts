/** A piece of message text: plain text, or a link to an http(s) address. */
export type TextPart = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'link'; readonly text: string; readonly href: string };

// Only addresses written with http:// or https:// become links; `javascript:`, `data:` and
// anything else stays text. The match stops at whitespace and at characters that cannot
// appear unescaped in a URL.
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`{}|\\^]+/gi;
const TRAILING = /[.,;:!?*_~]+$/;

/** Drops punctuation that ends a sentence rather than the address, and an unbalanced `)`. */
function trimUrl(candidate: string): string {
  let url = candidate;
  for (let i = 0; i < 4; i++) {
    const before = url;
    url = url.replace(TRAILING, '');
    if (url.endsWith(')') && count(url, '(') < count(url, ')')) url = url.slice(0, -1);
    if (url.endsWith(']') && count(url, '[') < count(url, ']')) url = url.slice(0, -1);
    if (url === before) break;
  }
  return url;
}

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
}

/** The address as a link target, or null when it does not parse as http(s). */
function safeHref(text: string): string | null {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * Splits message text into text and links. The result is rendered as React text and `<a>`
 * elements, never as HTML, so markup in a message shows as the characters it is.
 *
 * @example
 * linkify('see https://example.com.') // text "see ", link "https://example.com", text "."
 */
export function linkify(text: string): readonly TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    const url = trimUrl(match[0]);
    const href = safeHref(url);
    if (href === null) continue;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', text: url, href });
    last = start + url.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}
