import { describe, expect, it } from 'vitest';
import { socketIoTransport, type Transport, type TransportSocket } from '@rtm-kit/client';
import { SeqWindow } from '../src/seq-window.js';
import { APP_ID, waitFor } from './helpers.js';
import { channelInbox, manualTransport, useKit } from './peer-kit.js';

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

describe('a sender’s own channel messages', () => {
  const kit = useKit();

  it('leave no hole in its seqs: a resume asks only for what came after them', async () => {
    await kit.start();
    const net = manualTransport();
    // Records the lastSeq of every channel the client asks to resume.
    const resumedFrom: Array<number | null> = [];
    const transport: Transport = (options) => {
      const socket = net.transport(options);
      const emit = socket.emit.bind(socket);
      socket.emit = (event: string, ...args: unknown[]) => {
        if (event === 'channel:resume') {
          for (const c of (args[0] as { channels: Array<{ lastSeq: number | null }> }).channels) resumedFrom.push(c.lastSeq);
        }
        return emit(event, ...args);
      };
      return socket;
    };
    const alice = kit.client({ transport, timing: { interruptionMs: 50 } });
    await alice.login({ uid: 'alice' });
    const bob = await kit.user('bob');
    const aliceRoom = alice.createChannel('room');
    const bobRoom = bob.createChannel('room');
    await aliceRoom.join();
    await bobRoom.join();
    const inbox = channelInbox(aliceRoom);
    // Alice's own messages take seqs 1..3; bob's takes 4.
    for (const text of ['a1', 'a2', 'a3']) await aliceRoom.sendMessage({ text });
    await bobRoom.sendMessage({ text: 'b1' });
    await waitFor(() => inbox.length === 1, 3_000, 'b1');
    net.drop();
    await waitFor(async () => (await kit.server.core.sessions.get(APP_ID, 'alice'))?.connected === false, 3_000, 'the drop');
    await bobRoom.sendMessage({ text: 'b2' });
    net.reconnect();
    await waitFor(() => alice.connectionState === 'CONNECTED' && inbox.length === 2, 5_000, 'b2 replayed');
    expect(resumedFrom).toEqual([4]);
    expect(inbox.map((m) => m.text)).toEqual(['b1', 'b2']);
  });
});
