import { describe, expect, it } from 'vitest';
import { socketIoTransport, type Transport, type TransportSocket } from '@rtm-kit/client';
import { SeqWindow } from '../src/seq-window.js';
import { waitFor } from './helpers.js';
import { channelInbox, useKit } from './peer-kit.js';

describe('SeqWindow', () => {
  it('delivers each seq once, in whatever order they come', () => {
    const w = new SeqWindow(4);
    const taken = [6, 5, 6, 4, 7, 5, 9, 8].map((seq) => w.take(seq));
    expect(taken).toEqual([true, true, false, false, true, false, true, true]);
    expect(w.floor).toBe(9);
  });

  it('keeps the floor below a hole until it fills', () => {
    const w = new SeqWindow(0);
    for (const seq of [1, 3, 4]) w.take(seq);
    expect(w.floor).toBe(1);
    expect(w.take(2)).toBe(true);
    expect(w.floor).toBe(4);
  });

  it('gives up on the oldest hole once too many seqs are held above it', () => {
    const w = new SeqWindow(0);
    // Seq 1 never comes (the member's own message, say).
    for (let seq = 2; seq <= 400; seq++) expect(w.take(seq)).toBe(true);
    expect(w.floor).toBe(400);
    expect(w.take(1)).toBe(false);
  });
});

/**
 * Wraps the socket.io transport so that the first channel message of each pair is held back until
 * the next one has been handed over: two nodes of a fleet publishing seq n and n+1 at once.
 */
function reorderingTransport(): Transport {
  const inner = socketIoTransport();
  return (options) => {
    const socket = inner(options);
    const wrapped: TransportSocket = Object.create(socket) as TransportSocket;
    wrapped.on = (event, listener) => {
      if (event !== 'channel:message') return socket.on(event, listener);
      let held: unknown[] | null = null;
      const swap = (...args: unknown[]) => {
        const call = listener as (...a: unknown[]) => void;
        if (held === null) {
          held = args;
          return;
        }
        const first = held;
        held = null;
        call(...args);
        call(...first);
      };
      return socket.on(event, swap as (...args: never[]) => void);
    };
    return wrapped;
  };
}

describe('channel messages that arrive out of order', () => {
  const kit = useKit();

  it('are all delivered, each once (a later seq no longer hides an earlier one)', async () => {
    await kit.start();
    const alice = await kit.user('alice');
    const bob = await kit.user('bob', { transport: reorderingTransport() });
    const aliceRoom = alice.createChannel('room');
    const bobRoom = bob.createChannel('room');
    await aliceRoom.join();
    await bobRoom.join();
    const inbox = channelInbox(bobRoom);
    for (let i = 1; i <= 6; i++) await aliceRoom.sendMessage({ text: `m${i}` });
    await waitFor(() => inbox.length === 6, 3_000, 'six messages');
    expect(inbox.map((m) => m.text)).toEqual(['m2', 'm1', 'm4', 'm3', 'm6', 'm5']);
  });
});
