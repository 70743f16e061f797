// The page side of message-list.bench.mjs: a MessageListView in a fixed-size box, driven from
// the benchmark through window.bench.
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import type { MessageItem } from '@rtm-kit/react';
import { MessageListView } from '@rtm-kit/ui';

/** Render and commit (synchronous), and until two frames later (the list measured and scrolled). */
interface Timing {
  readonly commitMs: number;
  readonly settledMs: number;
}

declare global {
  interface Window {
    bench: {
      mount(count: number): Promise<number>;
      append(): Promise<Timing>;
      prepend(count: number): Promise<Timing>;
      /** Drop the oldest messages, as the store does past its cap. */
      dropOldest(count: number): Promise<Timing>;
      rows(): number;
      log(): HTMLElement;
      /** Top of a message's element relative to the log, or null when it is not rendered. */
      offsetOf(id: string): number | null;
      firstVisibleId(): string | null;
    };
  }
}

const START = Date.UTC(2026, 0, 1, 9);
let sequence = 0;
let older = 0;

function message(i: number): MessageItem {
  const from = ['alice', 'bob', 'carol'][Math.floor(i / 3) % 3] as string;
  const length = 20 + ((i * 37) % 220);
  const text = `Message ${i}: ` + 'lorem ipsum dolor sit amet '.repeat(Math.ceil(length / 27)).slice(0, length);
  return { id: `m${i}`, from, serverReceivedTs: START + i * 20_000, message: { text, messageType: 'TEXT' } };
}

let setMessages: (update: (list: readonly MessageItem[]) => readonly MessageItem[]) => void = () => undefined;

function App({ initial }: { initial: readonly MessageItem[] }) {
  const [messages, set] = useState(initial);
  setMessages = set;
  return <MessageListView messages={messages} uid="alice" label="Messages in bench" />;
}

const frames = () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));

/** Time of one state change: React's render and commit, then two frames for the list to measure and settle. */
async function timed(change: () => void): Promise<Timing> {
  const start = performance.now();
  flushSync(change);
  const commitMs = performance.now() - start;
  await frames();
  return { commitMs, settledMs: performance.now() - start };
}

window.bench = {
  async mount(count) {
    const initial = Array.from({ length: count }, (_, i) => message(i));
    sequence = count;
    const host = document.getElementById('host') as HTMLElement;
    const start = performance.now();
    flushSync(() => createRoot(host).render(<App initial={initial} />));
    await frames();
    await frames();
    return performance.now() - start;
  },
  append() {
    const next = message(sequence++);
    return timed(() => setMessages((list) => [...list, next]));
  },
  prepend(count) {
    const added = Array.from({ length: count }, () => {
      older--;
      return { ...message(0), id: `old${older}`, serverReceivedTs: START + older * 20_000 };
    }).reverse();
    return timed(() => setMessages((list) => [...added, ...list]));
  },
  dropOldest(count) {
    return timed(() => setMessages((list) => list.slice(count)));
  },
  rows: () => document.querySelectorAll('.rtm-chat-row').length,
  log: () => document.querySelector('[role="log"]') as HTMLElement,
  offsetOf(id) {
    const log = document.querySelector('[role="log"]') as HTMLElement;
    const row = Array.from(document.querySelectorAll<HTMLElement>('.rtm-chat-row')).find((r) => r.querySelector(`[data-id="${id}"]`) !== null);
    return row === undefined ? null : row.getBoundingClientRect().top - log.getBoundingClientRect().top;
  },
  firstVisibleId() {
    const log = document.querySelector('[role="log"]') as HTMLElement;
    const top = log.getBoundingClientRect().top;
    for (const row of document.querySelectorAll<HTMLElement>('.rtm-chat-row')) {
      if (row.getBoundingClientRect().bottom > top + 1) return row.querySelector<HTMLElement>('[data-id]')?.dataset['id'] ?? null;
    }
    return null;
  },
};
