import { afterEach, describe, expect, it } from 'vitest';
import type { RtmImageMessage, RtmMessage } from '@rtm-kit/client';
import { DEFAULT_LIMITS, MEDIA_HTTP } from '@rtm-kit/protocol';
import { fileBytes, http, putChunk, rawLogin, startUpload, waitFor, type RawSession } from '../media-helpers.js';
import { redisAvailable } from '../redis/redis-available.js';
import { APP_ID, useFleet } from './fleet-kit.js';

const MB = 1024 * 1024;

/** A 1×1 PNG with `extra` bytes of padding after its IEND chunk, so its size can be chosen. */
function png(extra = 0): Buffer {
  const head = Buffer.from(
    '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
      '1f15c4890000000d4944415478da63f8cfc0f01f0005000201e2b6b7a80000000049454e44ae426082',
    'hex',
  );
  return Buffer.concat([head, Buffer.alloc(extra, 7)]);
}

async function blobBytes(blob: Blob): Promise<Buffer> {
  return Buffer.from(await blob.arrayBuffer());
}

describe.runIf(redisAvailable)('media in a fleet: shared through Redis', () => {
  const fleet = useFleet();
  const sessions: RawSession[] = [];
  afterEach(() => {
    for (const s of sessions.splice(0)) s.socket.disconnect();
  });
  const login = async (url: string, uid: string) => {
    const session = await rawLogin(url, uid, APP_ID);
    sessions.push(session);
    return session;
  };

  it('an image alice uploads on node A and sends in a peer message, bob downloads on node B byte for byte', async () => {
    const [a, b] = [await fleet.node(), await fleet.node()];
    const alice = await fleet.user('alice', a);
    const bob = await fleet.user('bob', b);
    const received: RtmMessage[] = [];
    bob.on('MessageFromPeer', (message) => received.push(message));
    const bytes = png(40_000);
    const image = await alice.createMediaMessageByUploading(new Blob([new Uint8Array(bytes)]), { messageType: 'IMAGE', fileName: 'dot.png' });
    expect(image).toMatchObject({ messageType: 'IMAGE', width: 1, height: 1, size: bytes.length });
    expect(await alice.sendMessageToPeer(image, 'bob')).toEqual({ hasPeerReceived: true });
    await waitFor(() => received.length === 1, 5_000, 'the image message');
    const got = received[0] as RtmImageMessage;
    expect(got).toMatchObject({ messageType: 'IMAGE', mediaId: image.mediaId, size: bytes.length, fileName: 'dot.png' });
    const blob = await bob.downloadMedia(got.mediaId);
    expect(blob.type).toBe('image/png');
    expect((await blobBytes(blob)).equals(bytes)).toBe(true);
  });

  it('carries a 30 MB file from node A to node B', async () => {
    const [a, b] = [await fleet.node(), await fleet.node()];
    const alice = await fleet.user('alice', a);
    const bob = await fleet.user('bob', b);
    const bytes = fileBytes(DEFAULT_LIMITS.mediaMaxBytes, [0x50, 0x4b, 0x03, 0x04]);
    expect(bytes.length).toBe(30 * MB);
    const started = performance.now();
    const message = await alice.createMediaMessageByUploading(new Blob([new Uint8Array(bytes)]), { messageType: 'FILE', fileName: 'big.zip' });
    const uploaded = performance.now();
    const blob = await bob.downloadMedia(message.mediaId);
    const downloaded = performance.now();
    expect(blob.size).toBe(30 * MB);
    expect((await blobBytes(blob)).equals(bytes)).toBe(true);
    console.info(`30 MB across nodes: upload ${Math.round(uploaded - started)} ms, download ${Math.round(downloaded - uploaded)} ms`);
  }, 60_000);

  it('holds the per-user transfer limit across nodes', async () => {
    const limits = { mediaConcurrentTransfers: 2 };
    const [a, b] = [await fleet.node({ limits }), await fleet.node({ limits })];
    const alice = await login(a.url, 'alice');
    const first = await startUpload(a.url, alice, 10);
    await startUpload(b.url, alice, 10);
    const third = await http(`${a.url}${MEDIA_HTTP.uploadsPath}`, 'POST', { ...alice.headers, [MEDIA_HTTP.headers.size]: '10' });
    expect(third.status).toBe(429);
    expect(third.json?.error?.name).toBe('UPLOAD_MEDIA_ERR_CONCURRENCY_LIMIT_EXCEEDED');
    // Completing the first upload on the other node gives its slot back to both.
    const done = await putChunk(b.url, alice, first, 0, Buffer.alloc(10, 1));
    expect(done.json?.data.media).toMatchObject({ size: 10 });
    await startUpload(a.url, alice, 10);
    // Downloads count against the same slots.
    const download = await http(`${b.url}${MEDIA_HTTP.mediaPath}/${done.json?.data.media.mediaId}`, 'GET', alice.headers);
    expect(download.json?.error?.name).toBe('DOWNLOAD_MEDIA_ERR_CONCURRENCY_LIMIT_EXCEEDED');
  });

  it('frees the slot and the quota of an upload cancelled on the other node', async () => {
    const limits = { mediaConcurrentTransfers: 1, mediaStoredBytesPerUser: 1_000 };
    const [a, b] = [await fleet.node({ limits }), await fleet.node({ limits })];
    const alice = await login(a.url, 'alice');
    const uploadId = await startUpload(a.url, alice, 1_000);
    expect((await putChunk(a.url, alice, uploadId, 0, Buffer.alloc(400, 2))).json?.data).toEqual({ received: 400, media: null });
    const refused = await http(`${b.url}${MEDIA_HTTP.uploadsPath}`, 'POST', { ...alice.headers, [MEDIA_HTTP.headers.size]: '1000' });
    expect(refused.json?.error?.name).toBe('UPLOAD_MEDIA_ERR_CONCURRENCY_LIMIT_EXCEEDED');

    expect((await http(`${b.url}${MEDIA_HTTP.uploadsPath}/${uploadId}`, 'DELETE', alice.headers)).status).toBe(204);
    expect((await putChunk(a.url, alice, uploadId, 400, Buffer.alloc(600, 2))).json?.error?.name).toBe('UPLOAD_MEDIA_ERR_FAILURE');
    // Both the slot and the 1,000 bytes came back: a new upload of the whole quota runs on node A.
    const again = await startUpload(a.url, alice, 1_000);
    const done = await putChunk(a.url, alice, again, 0, Buffer.alloc(1_000, 3));
    expect(done.json?.data.media).toMatchObject({ size: 1_000 });
  });

  it('drops the uploads of a session that ends on another node, and their slots', async () => {
    const limits = { mediaConcurrentTransfers: 1 };
    const [a, b] = [await fleet.node({ limits }), await fleet.node({ limits })];
    const bob = await login(a.url, 'bob');
    const uploadId = await startUpload(b.url, bob, 100);
    await bob.socket.emitWithAck('session:logout', {});
    // Logged in again, bob gets his slot back once node A has dropped the upload it ran on B.
    const again = await login(b.url, 'bob');
    const start = () => http(`${b.url}${MEDIA_HTTP.uploadsPath}`, 'POST', { ...again.headers, [MEDIA_HTTP.headers.size]: '100' });
    await waitFor(async () => (await start()).status === 201, 5_000, 'the slot of the dropped upload');
    expect((await putChunk(b.url, again, uploadId, 0, Buffer.alloc(100))).json?.error?.name).toBe('UPLOAD_MEDIA_ERR_FAILURE');
  });
});
