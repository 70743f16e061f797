import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RtmClient } from '@rtm-kit/client';
import { startServer, type RtmServer } from '@rtm-kit/server';
import type { RtmStore } from '@rtm-kit/store';
import { loginAs, makeStore, waitFor } from './helpers.js';

let server: RtmServer;
const clients: RtmClient[] = [];
beforeEach(async () => {
  server = await startServer({ port: 0, logger: false });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
  await server.close();
});

function open(): RtmStore {
  const made = makeStore(server.url);
  clients.push(made.client);
  return made.store;
}

describe('media transfers', () => {
  it('uploads, sends the message to a peer, and the peer downloads the same bytes', async () => {
    const alice = open();
    const bob = open();
    await loginAs(alice, 'alice');
    await loginAs(bob, 'bob');
    const bytes = new Uint8Array(200_000).map((_, i) => i % 251);
    const message = await alice.getState().uploadMedia(new Blob([bytes]), { fileName: 'notes.bin', messageType: 'FILE' });
    expect(message).toMatchObject({ messageType: 'FILE', fileName: 'notes.bin', size: bytes.length });
    expect(alice.getState().transfers).toMatchObject([
      { kind: 'upload', status: 'done', fileName: 'notes.bin', mediaId: message.mediaId, currentSize: bytes.length, totalSize: bytes.length },
    ]);

    await alice.getState().sendPeerMessage('bob', message);
    await waitFor(() => bob.getState().conversations['alice']?.messages.length === 1, 3_000, 'file message');
    const received = bob.getState().conversations['alice']?.messages[0]?.message;
    expect(received).toMatchObject({ messageType: 'FILE', mediaId: message.mediaId });
    const blob = await bob.getState().downloadMedia(message.mediaId);
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(bytes);
    expect(bob.getState().transfers[0]).toMatchObject({ kind: 'download', status: 'done', mediaId: message.mediaId, currentSize: bytes.length });

    bob.getState().dismissTransfer(bob.getState().transfers[0]?.id as string);
    expect(bob.getState().transfers).toEqual([]);
  });

  it('records a failed and a canceled transfer', async () => {
    const alice = open();
    await loginAs(alice, 'alice');
    await expect(alice.getState().downloadMedia('no-such-media')).rejects.toMatchObject({ name: expect.stringMatching(/^Rtm/) });
    expect(alice.getState().transfers[0]).toMatchObject({ kind: 'download', status: 'failed' });
    expect(alice.getState().transfers[0]?.error?.code).toBeTypeOf('number');

    const big = new Blob([new Uint8Array(8 * 1024 * 1024)]);
    const upload = alice.getState().uploadMedia(big, { fileName: 'big.bin' });
    const id = alice.getState().transfers.at(-1)?.id as string;
    alice.getState().cancelTransfer(id);
    await expect(upload).rejects.toBeInstanceOf(Error);
    expect(alice.getState().transfers.at(-1)).toMatchObject({ id, status: 'canceled' });
  });

  it('tells the uploader which transfer is its own, even with another upload under way', async () => {
    const alice = open();
    await loginAs(alice, 'alice');
    const seen: string[] = [];
    const first = alice.getState().uploadMedia(new Blob([new Uint8Array(1_000)]), { fileName: 'same.bin' }, { onTransfer: (id) => seen.push(id) });
    const second = alice.getState().uploadMedia(new Blob([new Uint8Array(2_000)]), { fileName: 'same.bin' }, { onTransfer: (id) => seen.push(id) });
    expect(seen).toEqual(alice.getState().transfers.map((t) => t.id));
    const [a, b] = await Promise.all([first, second]);
    const byId = new Map(alice.getState().transfers.map((t) => [t.id, t]));
    expect(byId.get(seen[0] as string)).toMatchObject({ status: 'done', mediaId: a.mediaId, totalSize: 1_000 });
    expect(byId.get(seen[1] as string)).toMatchObject({ status: 'done', mediaId: b.mediaId, totalSize: 2_000 });
  });
});
