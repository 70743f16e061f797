import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import AgoraRTM, { RtmErrorCode, type RtmClient, type RtmImageMessage, type RtmMessage } from '@rtm-kit/client';
import { DEFAULT_LIMITS, MEDIA_HTTP } from '@rtm-kit/protocol';
import { startServer, type RtmServer } from '@rtm-kit/server';
import { APP_ID, OTHER_APP_ID, waitFor } from './helpers.js';
import { bmp, bytesOf, gif, jpeg, pdf, plain, png, sameBytes, zip } from './media-files.js';

const quiet = { logFilter: AgoraRTM.LOG_FILTER_OFF };
const { UploadMediaError, DownloadMediaError } = RtmErrorCode;
const MB = 1024 * 1024;

describe('file and image messages through the 1.4.x API', () => {
  let server: RtmServer;
  const clients: RtmClient[] = [];
  const client = (appId = APP_ID) => {
    const c = AgoraRTM.createInstance(appId, { serverUrl: server.url, ...quiet });
    clients.push(c);
    return c;
  };
  const loggedIn = async (uid: string, appId = APP_ID) => {
    const c = client(appId);
    await c.login({ uid });
    return c;
  };

  beforeEach(async () => {
    server = await startServer({ port: 0, logger: false });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
    await server.close();
  });

  it('uploads a 30 MB file that another user downloads byte for byte', async () => {
    const alice = await loggedIn('alice');
    const bob = await loggedIn('bob');
    const bytes = zip(DEFAULT_LIMITS.mediaMaxBytes);
    expect(bytes.length).toBe(30 * MB);
    const up: Array<{ currentSize: number; totalSize: number }> = [];
    const message = await alice.createMediaMessageByUploading(
      new Blob([bytes]),
      { messageType: 'FILE', fileName: 'archive.zip', description: 'thirty megabytes' },
      { onOperationProgress: (p) => up.push(p) },
    );
    expect(message).toEqual({
      messageType: 'FILE',
      fileName: 'archive.zip',
      description: 'thirty megabytes',
      thumbnail: undefined,
      size: 30 * MB,
      mediaId: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
    });
    expect(up.at(-1)).toEqual({ currentSize: 30 * MB, totalSize: 30 * MB });

    const down: Array<{ currentSize: number; totalSize: number }> = [];
    const blob = await bob.downloadMedia(message.mediaId, { onOperationProgress: (p) => down.push(p) });
    expect(blob.type).toBe('application/zip');
    expect(blob.size).toBe(30 * MB);
    expect(sameBytes(await bytesOf(blob), bytes)).toBe(true);
    expect(down.at(-1)).toEqual({ currentSize: 30 * MB, totalSize: 30 * MB });
  });

  it.each([
    ['image/png', png(1, 1)],
    ['image/gif', gif(1, 1)],
    ['image/jpeg', jpeg(1, 1)],
    ['application/pdf', pdf()],
    ['application/zip', zip()],
    ['application/octet-stream', plain(4096)],
  ])('types the downloaded Blob %s from its content', async (type, bytes) => {
    const alice = await loggedIn('alice');
    // The uploader's Blob claims another type; only the bytes count.
    const message = await alice.createMediaMessageByUploading(new Blob([bytes], { type: 'text/html' }));
    const blob = await alice.downloadMedia(message.mediaId);
    expect(blob.type).toBe(type);
    expect(sameBytes(await bytesOf(blob), bytes)).toBe(true);
  });

  it('makes an image message, reading width and height of PNG, JPEG, GIF and BMP it was not told', async () => {
    const alice = await loggedIn('alice');
    for (const [bytes, w, h] of [[png(640, 480), 640, 480], [jpeg(1920, 1080), 1920, 1080], [gif(32, 16), 32, 16], [bmp(300, 200), 300, 200]] as const) {
      const image = await alice.createMediaMessageByUploading(new Blob([bytes]), { messageType: 'IMAGE' });
      expect(image).toMatchObject({ messageType: 'IMAGE', width: w, height: h, thumbnailWidth: 0, thumbnailHeight: 0, size: bytes.length });
    }
    // Given dimensions win; any dimension makes it an image without messageType (§2.2).
    const thumbnail = new Blob([png(8, 6, 300)]);
    const told = await alice.createMediaMessageByUploading(new Blob([png(640, 480)]), {
      width: 64,
      height: 48,
      fileName: 'cat.png',
      description: 'a cat',
      thumbnail,
      thumbnailWidth: 8,
      thumbnailHeight: 6,
    });
    expect(told).toMatchObject({ messageType: 'IMAGE', width: 64, height: 48, fileName: 'cat.png', description: 'a cat', thumbnailWidth: 8, thumbnailHeight: 6 });
    expect(told.thumbnail).toBe(thumbnail);
    const unknownSize = await alice.createMediaMessageByUploading(new Blob([pdf()]), { thumbnailWidth: 10 });
    expect(unknownSize).toMatchObject({ messageType: 'IMAGE', width: 0, height: 0, thumbnailWidth: 10 });
    const file = await alice.createMediaMessageByUploading(new Blob([png(640, 480)]), { thumbnail: null as unknown as Blob });
    expect(file.messageType).toBe('FILE');
    expect(file.thumbnail).toBeUndefined();
    expect(file).not.toHaveProperty('width');
  });

  it('refuses bad arguments with UPLOAD_MEDIA_ERR_INVALID_ARGUMENT (2) and SIZE_OVERFLOW (4)', async () => {
    const alice = await loggedIn('alice');
    const upload = (...args: unknown[]) => (alice.createMediaMessageByUploading as (...a: unknown[]) => Promise<unknown>)(...args);
    const blob = new Blob([png(4, 4)]);
    const invalid = [
      ['not a blob', 'hello'],
      ['no payload', undefined],
      ['an empty file', new Blob([])],
      ['params not an object', blob, 'IMAGE'],
      ['a numeric fileName', blob, { fileName: 5 }],
      ['a fractional width', blob, { width: 1.5 }],
      ['a negative height', blob, { height: -1 }],
      ['a string thumbnail', blob, { thumbnail: 'thumb' }],
      ['an unknown messageType', blob, { messageType: 'TEXT' }],
      ['a handler that is not an object', blob, {}, 'cancel'],
      ['a cancelSignal that is no signal', blob, {}, { cancelSignal: {} }],
      ['a progress callback that is no function', blob, {}, { onOperationProgress: 1 }],
    ] as const;
    for (const [what, ...args] of invalid) {
      await expect(upload(...args), what).rejects.toMatchObject({ code: UploadMediaError.UPLOAD_MEDIA_ERR_INVALID_ARGUMENT, name: 'RtmInvalidArgumentError' });
    }
    const tooBig = new Blob([new Uint8Array(DEFAULT_LIMITS.mediaMaxBytes + 1)]);
    await expect(upload(tooBig)).rejects.toMatchObject({ code: UploadMediaError.UPLOAD_MEDIA_ERR_SIZE_OVERFLOW, name: 'RtmLimitExceededError' });
    // thumbnail + fileName + description ≤ 32 KB (§10.2).
    const metadata = { thumbnail: new Blob([new Uint8Array(30_000)]), fileName: 'f'.repeat(2_000), description: 'd'.repeat(769) };
    await expect(upload(blob, metadata)).rejects.toMatchObject({ code: UploadMediaError.UPLOAD_MEDIA_ERR_SIZE_OVERFLOW });
    await expect(upload(blob, { ...metadata, description: 'd'.repeat(768) })).resolves.toMatchObject({ messageType: 'FILE' });

    for (const id of [undefined, '', 42, 'x'.repeat(129)]) {
      await expect((alice.downloadMedia as (id: unknown) => Promise<Blob>)(id)).rejects.toMatchObject({ code: DownloadMediaError.DOWNLOAD_MEDIA_ERR_INVALID_ARGUMENT });
    }
    await expect(alice.downloadMedia('A'.repeat(32), { onOperationProgress: 'x' } as never)).rejects.toMatchObject({ code: 2 });
  });

  it('answers NOT_LOGGED_IN (102) before login and after logout', async () => {
    const alice = client();
    await expect(alice.createMediaMessageByUploading(new Blob([pdf()]))).rejects.toMatchObject({ code: UploadMediaError.UPLOAD_MEDIA_ERR_NOT_LOGGED_IN, name: 'RtmInvalidStatusError' });
    await expect(alice.downloadMedia('A'.repeat(32))).rejects.toMatchObject({ code: DownloadMediaError.DOWNLOAD_MEDIA_ERR_NOT_LOGGED_IN });
    await alice.login({ uid: 'alice' });
    const message = await alice.createMediaMessageByUploading(new Blob([pdf()]));
    await alice.logout();
    await expect(alice.downloadMedia(message.mediaId)).rejects.toMatchObject({ code: 102 });
  });

  it('says DOWNLOAD_MEDIA_ERR_NOT_EXIST (4) for an unknown ID and for media of another app', async () => {
    const alice = await loggedIn('alice');
    const stranger = await loggedIn('alice', OTHER_APP_ID);
    const message = await alice.createMediaMessageByUploading(new Blob([png(2, 2)]));
    await expect(stranger.downloadMedia(message.mediaId)).rejects.toMatchObject({ code: DownloadMediaError.DOWNLOAD_MEDIA_ERR_NOT_EXIST, name: 'RtmInvalidStatusError' });
    await expect(alice.downloadMedia('no-such-media')).rejects.toMatchObject({ code: 4 });
    await expect(alice.downloadMedia(message.mediaId)).resolves.toBeInstanceOf(Blob);
  });

  it('runs at most 9 transfers at once: the 10th upload or download is refused with CONCURRENCY_LIMIT_EXCEEDED (5)', async () => {
    const alice = await loggedIn('alice');
    const stored = await alice.createMediaMessageByUploading(new Blob([pdf()]));
    const blob = new Blob([plain(256 * 1024)]);
    const nine = Array.from({ length: 9 }, () => alice.createMediaMessageByUploading(blob));
    await expect(alice.createMediaMessageByUploading(blob)).rejects.toMatchObject({
      code: UploadMediaError.UPLOAD_MEDIA_ERR_CONCURRENCY_LIMIT_EXCEEDED,
      name: 'RtmLimitExceededError',
    });
    await expect(alice.downloadMedia(stored.mediaId)).rejects.toMatchObject({ code: DownloadMediaError.DOWNLOAD_MEDIA_ERR_CONCURRENCY_LIMIT_EXCEEDED });
    const done = await Promise.all(nine);
    expect(new Set(done.map((m) => m.mediaId)).size).toBe(9);
    // Finished transfers free their slots.
    await Promise.all(done.map((m) => alice.downloadMedia(m.mediaId)));
  });

  it('reports the server concurrency limit with the same code when the server is stricter', async () => {
    await server.close();
    server = await startServer({ port: 0, logger: false, limits: { mediaConcurrentTransfers: 1 } });
    const alice = await loggedIn('alice');
    const session = alice.connection.httpSession;
    if (!session) throw new Error('no session');
    // Another upload of the same user (e.g. from a script) holds the only slot.
    const held = await fetch(`${server.url}${MEDIA_HTTP.uploadsPath}`, {
      method: 'POST',
      headers: { [MEDIA_HTTP.headers.appId]: session.appId, [MEDIA_HTTP.headers.uid]: session.uid, [MEDIA_HTTP.headers.session]: session.sessionId, [MEDIA_HTTP.headers.size]: '10' },
    });
    expect(held.status).toBe(201);
    await expect(alice.createMediaMessageByUploading(new Blob([pdf()]))).rejects.toMatchObject({ code: UploadMediaError.UPLOAD_MEDIA_ERR_CONCURRENCY_LIMIT_EXCEEDED });
  });

  it('refuses a file larger than the server allows with SIZE_OVERFLOW', async () => {
    await server.close();
    server = await startServer({ port: 0, logger: false, limits: { mediaMaxBytes: 1000 } });
    const alice = await loggedIn('alice');
    await expect(alice.createMediaMessageByUploading(new Blob([plain(1001)]))).rejects.toMatchObject({ code: UploadMediaError.UPLOAD_MEDIA_ERR_SIZE_OVERFLOW });
    await expect(alice.createMediaMessageByUploading(new Blob([plain(1000)]))).resolves.toMatchObject({ size: 1000 });
  });

  it('follows a server that allows more: bigger files and more transfers at once', async () => {
    await server.close();
    server = await startServer({ port: 0, logger: false, limits: { mediaMaxBytes: 40 * MB, mediaConcurrentTransfers: 12 } });
    const alice = await loggedIn('alice');
    // Over the default 30 MB: only a client that checks against the server's 40 MB sends it.
    const big = alice.createMediaMessageByUploading(new Blob([plain(DEFAULT_LIMITS.mediaMaxBytes + 1)]));
    const blob = new Blob([plain(64 * 1024)]);
    const eleven = Array.from({ length: 11 }, () => alice.createMediaMessageByUploading(blob));
    await expect(big).resolves.toMatchObject({ size: DEFAULT_LIMITS.mediaMaxBytes + 1 });
    expect(await Promise.all(eleven)).toHaveLength(11);
  });

  it('createMessage returns TEXT and RAW as given and fills IMAGE and FILE defaults (1.4)', () => {
    const alice = client();
    const text = { text: 'hi' };
    expect(alice.createMessage(text)).toBe(text);
    const raw = { rawMessage: new Uint8Array([1]), messageType: 'RAW' as const };
    expect(alice.createMessage(raw)).toBe(raw);
    const image = alice.createMessage<RtmImageMessage>({ messageType: 'IMAGE', mediaId: 'A'.repeat(32), width: 10 });
    expect(image).toMatchObject({ messageType: 'IMAGE', mediaId: 'A'.repeat(32), width: 10, height: 0, fileName: '', description: '', size: 0, thumbnailWidth: 0, thumbnailHeight: 0 });
    expect(image.thumbnail).toBeInstanceOf(Blob);
    const file = alice.createMessage<RtmMessage>({ messageType: 'FILE', mediaId: 'B'.repeat(32), fileName: undefined } as never);
    expect(file).toEqual({ messageType: 'FILE', mediaId: 'B'.repeat(32), fileName: '', description: '', size: 0, thumbnail: expect.any(Blob) });
  });

  it('sends an image in a peer message; the receiver downloads it', async () => {
    const alice = await loggedIn('alice');
    const bob = await loggedIn('bob');
    const received: RtmMessage[] = [];
    bob.on('MessageFromPeer', (message) => received.push(message));
    const bytes = png(320, 240, 200_000);
    const image = await alice.createMediaMessageByUploading(new Blob([bytes]), { fileName: 'p.png', thumbnail: new Blob([png(4, 3, 100)]), thumbnailWidth: 4, thumbnailHeight: 3 });
    expect(await alice.sendMessageToPeer(image, 'bob')).toEqual({ hasPeerReceived: true });
    await waitFor(() => received.length === 1, 5_000, 'the peer message');
    const got = received[0] as RtmImageMessage;
    expect(got).toMatchObject({ messageType: 'IMAGE', mediaId: image.mediaId, size: bytes.length, width: 320, height: 240, fileName: 'p.png', thumbnailWidth: 4 });
    expect(got.thumbnail?.size).toBe(100);
    const blob = await bob.downloadMedia(got.mediaId);
    expect(blob.type).toBe('image/png');
    expect(sameBytes(await bytesOf(blob), bytes)).toBe(true);

    // A message rebuilt from a still-valid media ID works the same (1.4 createMessage).
    const again = alice.createMessage<RtmImageMessage>({ messageType: 'IMAGE', mediaId: image.mediaId, size: image.size });
    await alice.sendMessageToPeer(again, 'bob');
    await waitFor(() => received.length === 2, 5_000, 'the rebuilt message');
    expect(sameBytes(await bytesOf(await bob.downloadMedia((received[1] as RtmImageMessage).mediaId)), bytes)).toBe(true);
  });

  it('sends a file in a channel message; a member downloads it', async () => {
    const alice = await loggedIn('alice');
    const bob = await loggedIn('bob');
    const aliceIn = alice.createChannel('files');
    const bobIn = bob.createChannel('files');
    await aliceIn.join();
    await bobIn.join();
    const received: RtmMessage[] = [];
    bobIn.on('ChannelMessage', (message) => received.push(message));
    const bytes = pdf(300_000);
    const file = await alice.createMediaMessageByUploading(new Blob([bytes]), { messageType: 'FILE', fileName: 'spec.pdf' });
    await aliceIn.sendMessage(file);
    await waitFor(() => received.length === 1, 5_000, 'the channel message');
    expect(received[0]).toMatchObject({ messageType: 'FILE', mediaId: file.mediaId, fileName: 'spec.pdf', size: bytes.length });
    const blob = await bob.downloadMedia(file.mediaId);
    expect(blob.type).toBe('application/pdf');
    expect(sameBytes(await bytesOf(blob), bytes)).toBe(true);
  });
});
