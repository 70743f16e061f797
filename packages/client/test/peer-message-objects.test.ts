import { describe, expect, it } from 'vitest';
import { RtmErrorCode, type RtmMessage } from '@rtm-kit/client';
import { DEFAULT_LIMITS } from '@rtm-kit/protocol';
import { fromWireMessage, toWireMessage } from '../src/messages.js';
import { waitFor } from './helpers.js';
import { useKit } from './peer-kit.js';

const { PeerMessageError, ChannelMessageError } = RtmErrorCode;
const INVALID = 'PEER_MESSAGE_ERR_INVALID_MESSAGE' as const;

function image(extra: Record<string, unknown> = {}) {
  return {
    messageType: 'IMAGE' as const,
    mediaId: 'm'.repeat(40),
    fileName: 'cat.png',
    description: 'a cat',
    size: 123_456,
    width: 640,
    height: 480,
    thumbnail: new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' }) as Blob | undefined,
    thumbnailWidth: 32,
    thumbnailHeight: 24,
    ...extra,
  };
}

describe('message objects and their wire form (§5)', () => {
  it('turns an image message into its wire form and back, the thumbnail as bytes then as a Blob', async () => {
    const wire = await toWireMessage(image(), INVALID, DEFAULT_LIMITS);
    expect(wire).toMatchObject({ type: 'IMAGE', mediaId: 'm'.repeat(40), width: 640, height: 480, thumbnailWidth: 32, thumbnailHeight: 24, size: 123_456 });
    expect([...((wire as { thumbnail: Uint8Array }).thumbnail ?? [])]).toEqual([137, 80, 78, 71]);
    const back = fromWireMessage(wire);
    expect(back).toMatchObject({ messageType: 'IMAGE', fileName: 'cat.png', description: 'a cat', width: 640 });
    const thumb = (back as { thumbnail: Blob }).thumbnail;
    expect(thumb).toBeInstanceOf(Blob);
    expect([...new Uint8Array(await thumb.arrayBuffer())]).toEqual([137, 80, 78, 71]);
  });

  it('sends a file without a thumbnail with zero image dimensions', async () => {
    const file = { messageType: 'FILE' as const, mediaId: 'f'.repeat(40), fileName: 'a.pdf', description: '', size: 10, thumbnail: undefined };
    const wire = await toWireMessage(file, INVALID, DEFAULT_LIMITS);
    expect(wire).toEqual({ type: 'FILE', mediaId: 'f'.repeat(40), fileName: 'a.pdf', description: '', size: 10, thumbnail: null, width: 0, height: 0, thumbnailWidth: 0, thumbnailHeight: 0 });
    expect(fromWireMessage(wire)).toEqual({ messageType: 'FILE', mediaId: 'f'.repeat(40), fileName: 'a.pdf', description: '', size: 10, thumbnail: undefined });
  });

  it('applies the 32 KB rule to thumbnail + file name + description, from the Blob size', async () => {
    const big = new Blob([new Uint8Array(32_768 - 'cat.png'.length - 'a cat'.length)]);
    await expect(toWireMessage(image({ thumbnail: big }), INVALID, DEFAULT_LIMITS)).resolves.toMatchObject({ type: 'IMAGE' });
    const tooBig = new Blob([new Uint8Array(32_768 - 'cat.png'.length - 'a cat'.length + 1)]);
    await expect(toWireMessage(image({ thumbnail: tooBig }), INVALID, DEFAULT_LIMITS)).rejects.toMatchObject({ name: 'RtmLimitExceededError', code: 7 });
  });

  it.each([
    ['a missing mediaId', { mediaId: undefined }],
    ['an empty mediaId', { mediaId: '' }],
    ['a thumbnail that is not a Blob', { thumbnail: 'data:...' }],
    ['a negative width', { width: -1 }],
    ['a fractional size', { size: 1.5 }],
    ['a numeric file name', { fileName: 5 }],
  ])('refuses an image with %s', async (_label, extra) => {
    await expect(toWireMessage(image(extra), INVALID, DEFAULT_LIMITS)).rejects.toMatchObject({ code: PeerMessageError.PEER_MESSAGE_ERR_INVALID_MESSAGE });
  });

  it('copies raw bytes, so a view into a larger buffer sends only its own bytes', async () => {
    const buffer = new Uint8Array([1, 2, 3, 4, 5, 6]);
    const view = buffer.subarray(2, 4);
    const wire = await toWireMessage({ rawMessage: view }, INVALID, DEFAULT_LIMITS);
    expect([...(wire as { raw: Uint8Array }).raw]).toEqual([3, 4]);
    expect((wire as { raw: Uint8Array }).raw.buffer.byteLength).toBe(2);
  });
});

describe('media messages travel like any other (1.4.x)', () => {
  const kit = useKit();

  it('reach a peer and a channel with their fields and thumbnail', async () => {
    await kit.start();
    const alice = await kit.user('alice');
    const bob = await kit.user('bob');
    const got: RtmMessage[] = [];
    bob.on('MessageFromPeer', (m) => got.push(m));
    const bobRoom = bob.createChannel('room');
    bobRoom.on('ChannelMessage', (m) => got.push(m));
    await bobRoom.join();
    const aliceRoom = alice.createChannel('room');
    await aliceRoom.join();

    await expect(alice.sendMessageToPeer(image(), 'bob')).resolves.toEqual({ hasPeerReceived: true });
    await aliceRoom.sendMessage({ messageType: 'FILE', mediaId: 'f'.repeat(40), fileName: 'notes.txt', description: 'notes', size: 99, thumbnail: undefined });
    await waitFor(() => got.length === 2, 2_000, 'both media messages');
    expect(got[0]).toMatchObject({ messageType: 'IMAGE', mediaId: 'm'.repeat(40), fileName: 'cat.png', width: 640, height: 480, size: 123_456 });
    const thumb = (got[0] as { thumbnail: Blob }).thumbnail;
    expect([...new Uint8Array(await thumb.arrayBuffer())]).toEqual([137, 80, 78, 71]);
    expect(got[1]).toEqual({ messageType: 'FILE', mediaId: 'f'.repeat(40), fileName: 'notes.txt', description: 'notes', size: 99, thumbnail: undefined });

    await expect(aliceRoom.sendMessage(image({ mediaId: '' }) as RtmMessage)).rejects.toMatchObject({ code: ChannelMessageError.CHANNEL_MESSAGE_ERR_INVALID_MESSAGE });
  });
});
