import { describe, expect, it } from 'vitest';
import AgoraRTM, { RtmErrorCode, type RtmMessage, type RtmRawMessage } from '@rtm-kit/client';
import { OTHER_APP_ID, waitFor } from './helpers.js';
import { peerInbox, useKit } from './peer-kit.js';

const { PeerMessageError, ChannelMessageError } = RtmErrorCode;

describe('sendMessageToPeer and MessageFromPeer', () => {
  const kit = useKit();

  it('delivers a text message with the sender and serverReceivedTs, and resolves hasPeerReceived: true', async () => {
    await kit.start();
    const alice = await kit.user('alice');
    const bob = await kit.user('bob');
    const received: Array<[RtmMessage, string, unknown]> = [];
    bob.on('MessageFromPeer', (message, peerId, props) => received.push([message, peerId, props]));
    const before = Date.now();
    await expect(alice.sendMessageToPeer({ text: 'hello bob' }, 'bob')).resolves.toEqual({ hasPeerReceived: true });
    const after = Date.now();
    // hasPeerReceived: true means bob's client has it already.
    expect(received).toHaveLength(1);
    const [message, peerId, props] = received[0]!;
    expect(message).toEqual({ text: 'hello bob', messageType: 'TEXT' });
    expect(peerId).toBe('alice');
    expect(props).toEqual({ serverReceivedTs: expect.any(Number), isOfflineMessage: false });
    const ts = (props as { serverReceivedTs: number }).serverReceivedTs;
    expect(ts).toBeGreaterThanOrEqual(before - 5);
    expect(ts).toBeLessThanOrEqual(after + 5);
  });

  it('delivers a raw message as a Uint8Array with its description', async () => {
    await kit.start();
    const alice = await kit.user('alice');
    const bob = await kit.user('bob');
    const received: RtmMessage[] = [];
    bob.on('MessageFromPeer', (message) => received.push(message));
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await expect(alice.sendMessageToPeer({ rawMessage: bytes, description: 'five bytes' }, 'bob')).resolves.toEqual({ hasPeerReceived: true });
    const raw = received[0] as RtmRawMessage;
    expect(raw.messageType).toBe('RAW');
    expect(raw.rawMessage).toBeInstanceOf(Uint8Array);
    expect([...raw.rawMessage]).toEqual([0, 1, 2, 250, 255]);
    expect(raw.description).toBe('five bytes');
  });

  it('infers and sets messageType as the 1.x runtime does, and sends only the fields of the type', async () => {
    await kit.start();
    const alice = await kit.user('alice');
    const bob = await kit.user('bob');
    const received: RtmMessage[] = [];
    bob.on('MessageFromPeer', (message) => received.push(message));
    const textMessage: Record<string, unknown> = { text: 'hi', secret: 'not sent' };
    const rawMessage: Record<string, unknown> = { rawMessage: new Uint8Array([1]) };
    await alice.sendMessageToPeer(textMessage as unknown as RtmMessage, 'bob');
    await alice.sendMessageToPeer(rawMessage as unknown as RtmMessage, 'bob');
    expect(textMessage).toEqual({ text: 'hi', secret: 'not sent', messageType: 'TEXT' });
    expect(rawMessage).toEqual({ rawMessage: new Uint8Array([1]), messageType: 'RAW', description: '' });
    expect(received[0]).toEqual({ text: 'hi', messageType: 'TEXT' });
    expect(received[1]).toEqual({ rawMessage: new Uint8Array([1]), description: '', messageType: 'RAW' });
    // An explicit messageType is honoured.
    await alice.sendMessageToPeer({ text: 'typed', messageType: AgoraRTM.MessageType.TEXT }, 'bob');
    expect(received[2]).toEqual({ text: 'typed', messageType: 'TEXT' });
  });

  it.each([
    ['null', null],
    ['a string', 'hello'],
    ['an empty object', {}],
    ['a numeric text', { text: 5 }],
    ['a string rawMessage', { rawMessage: 'abc' }],
    ['both text and rawMessage', { text: 'a', rawMessage: new Uint8Array(1) }],
    ['TEXT without text', { messageType: 'TEXT', rawMessage: new Uint8Array(1) }],
    ['RAW without bytes', { messageType: 'RAW', text: 'a' }],
    ['a numeric description', { rawMessage: new Uint8Array(1), description: 7 }],
    ['an unknown messageType', { messageType: 'VIDEO', text: 'a' }],
    ['an IMAGE without mediaId', { messageType: 'IMAGE', fileName: 'a.png', description: '', size: 1, width: 1, height: 1, thumbnailWidth: 0, thumbnailHeight: 0 }],
  ])('refuses %s with PEER_MESSAGE_ERR_INVALID_MESSAGE (7)', async (_label, message) => {
    await kit.start();
    const alice = await kit.user('alice');
    await expect(alice.sendMessageToPeer(message as RtmMessage, 'bob')).rejects.toMatchObject({
      code: PeerMessageError.PEER_MESSAGE_ERR_INVALID_MESSAGE,
      name: 'RtmInvalidArgumentError',
    });
  });

  it('applies the 32 KB rule to UTF-8 bytes of text, and to raw bytes plus description', async () => {
    await kit.start();
    const alice = await kit.user('alice');
    await kit.user('bob');
    await expect(alice.sendMessageToPeer({ text: 'x'.repeat(32_768) }, 'bob')).resolves.toEqual({ hasPeerReceived: true });
    const tooLong = { code: PeerMessageError.PEER_MESSAGE_ERR_INVALID_MESSAGE, name: 'RtmLimitExceededError' };
    await expect(alice.sendMessageToPeer({ text: 'x'.repeat(32_769) }, 'bob')).rejects.toMatchObject(tooLong);
    await expect(alice.sendMessageToPeer({ text: '€'.repeat(10_923) }, 'bob')).rejects.toMatchObject(tooLong); // 32 769 bytes
    await expect(alice.sendMessageToPeer({ text: '€'.repeat(10_922) }, 'bob')).resolves.toEqual({ hasPeerReceived: true });
    await expect(alice.sendMessageToPeer({ rawMessage: new Uint8Array(32_764), description: 'abcd' }, 'bob')).resolves.toEqual({ hasPeerReceived: true });
    await expect(alice.sendMessageToPeer({ rawMessage: new Uint8Array(32_764), description: 'abcde' }, 'bob')).rejects.toMatchObject(tooLong);
  });

  it('refuses an invalid peer ID with 6 and a send while logged out with 102', async () => {
    await kit.start();
    const alice = kit.client();
    for (const peerId of ['', 'null', 'a/b', 'x'.repeat(65), 5 as unknown as string, undefined as unknown as string]) {
      await expect(alice.sendMessageToPeer({ text: 'x' }, peerId)).rejects.toMatchObject({
        code: PeerMessageError.PEER_MESSAGE_ERR_INVALID_USERID,
        name: 'RtmInvalidArgumentError',
      });
    }
    await expect(alice.sendMessageToPeer({ text: 'x' }, 'bob')).rejects.toMatchObject({ code: PeerMessageError.PEER_MESSAGE_ERR_USER_NOT_LOGGED_IN });
    await alice.login({ uid: 'alice' });
    await alice.logout();
    await expect(alice.sendMessageToPeer({ text: 'x' }, 'bob')).rejects.toMatchObject({ code: PeerMessageError.PEER_MESSAGE_ERR_USER_NOT_LOGGED_IN });
  });

  it('resolves hasPeerReceived: false for a peer that is not logged in, and stores nothing without the offline option', async () => {
    await kit.start();
    const alice = await kit.user('alice');
    await expect(alice.sendMessageToPeer({ text: 'anyone?' }, 'bob')).resolves.toEqual({ hasPeerReceived: false });
    const bob = kit.client();
    const inbox = peerInbox(bob);
    await bob.login({ uid: 'bob' });
    await expect(alice.sendMessageToPeer({ text: 'now' }, 'bob')).resolves.toEqual({ hasPeerReceived: true });
    expect(inbox.map((m) => m.text)).toEqual(['now']);
  });

  it('keeps one sender’s order to one receiver, each message once', async () => {
    await kit.start();
    const alice = await kit.user('alice');
    const bob = await kit.user('bob');
    const inbox = peerInbox(bob);
    const results = await Promise.all(Array.from({ length: 150 }, (_, i) => alice.sendMessageToPeer({ text: `m${i}` }, 'bob')));
    expect(results.every((r) => r.hasPeerReceived)).toBe(true);
    expect(inbox.map((m) => m.text)).toEqual(Array.from({ length: 150 }, (_, i) => `m${i}`));
  });

  it('never delivers a message to yourself and answers it as received', async () => {
    await kit.start();
    const alice = await kit.user('alice');
    const inbox = peerInbox(alice);
    await expect(alice.sendMessageToPeer({ text: 'note to self' }, 'alice')).resolves.toEqual({ hasPeerReceived: true });
    await alice.sendMessageToPeer({ text: 'flush' }, 'nobody');
    expect(inbox).toEqual([]);
  });

  it('keeps apps apart: a user of another app with the same uid gets nothing', async () => {
    await kit.start();
    const alice = await kit.user('alice');
    const other = AgoraRTM.createInstance(OTHER_APP_ID, { serverUrl: kit.server.url, logFilter: AgoraRTM.LOG_FILTER_OFF });
    const inbox = peerInbox(other);
    await other.login({ uid: 'bob' });
    try {
      await expect(alice.sendMessageToPeer({ text: 'x' }, 'bob')).resolves.toEqual({ hasPeerReceived: false });
      expect(inbox).toEqual([]);
    } finally {
      await other.logout();
    }
  });
});

describe('the message rate: 180 per 3 s, peer and channel together', () => {
  const kit = useKit();

  it('is checked in the client: the 181st message in 3 s is refused with TOO_OFTEN, whichever kind', async () => {
    await kit.start();
    const alice = await kit.user('alice');
    const room = alice.createChannel('room');
    await room.join();
    const sends = [
      ...Array.from({ length: 120 }, (_, i) => alice.sendMessageToPeer({ text: `${i}` }, 'nobody')),
      ...Array.from({ length: 60 }, (_, i) => room.sendMessage({ text: `${i}` })),
    ];
    await Promise.all(sends);
    await expect(alice.sendMessageToPeer({ text: 'one more' }, 'nobody')).rejects.toMatchObject({
      code: PeerMessageError.PEER_MESSAGE_ERR_TOO_OFTEN,
      name: 'RtmInvokeTooOftenError',
    });
    await expect(room.sendMessage({ text: 'one more' })).rejects.toMatchObject({ code: ChannelMessageError.CHANNEL_MESSAGE_ERR_TOO_OFTEN });
    // Invalid messages are refused before they count, and the budget comes back after 3 s.
    await new Promise((r) => setTimeout(r, 3_050));
    await expect(alice.sendMessageToPeer({ text: 'again' }, 'nobody')).resolves.toEqual({ hasPeerReceived: false });
  }, 15_000);

  it('is checked in the client against the limits of the server it logged in to', async () => {
    await kit.start({ limits: { messageRate: { count: 200, windowMs: 60_000 }, messageMaxBytes: 40_000 } });
    const alice = await kit.user('alice');
    const room = alice.createChannel('room');
    await room.join();
    await Promise.all(Array.from({ length: 198 }, (_, i) => alice.sendMessageToPeer({ text: `${i}` }, 'nobody')));
    // Larger than the default 32 KB, within this server's 40 000 bytes.
    await expect(alice.sendMessageToPeer({ text: 'x'.repeat(39_000) }, 'nobody')).resolves.toEqual({ hasPeerReceived: false });
    await expect(room.sendMessage({ text: 'y'.repeat(39_000) })).resolves.toBeUndefined();
    await expect(alice.sendMessageToPeer({ text: 'one too many' }, 'nobody')).rejects.toMatchObject({ code: PeerMessageError.PEER_MESSAGE_ERR_TOO_OFTEN });
    await expect(room.sendMessage({ text: 'x'.repeat(40_001) })).rejects.toMatchObject({ code: ChannelMessageError.CHANNEL_MESSAGE_ERR_INVALID_MESSAGE });
  });

  it('is enforced by the server with the limit of startServer({ limits })', async () => {
    await kit.start({ limits: { messageRate: { count: 4, windowMs: 60_000 } } });
    const alice = await kit.user('alice');
    const room = alice.createChannel('room');
    await room.join();
    await alice.sendMessageToPeer({ text: '1' }, 'nobody');
    await alice.sendMessageToPeer({ text: '2' }, 'nobody');
    await room.sendMessage({ text: '3' });
    await room.sendMessage({ text: '4' });
    await expect(alice.sendMessageToPeer({ text: '5' }, 'nobody')).rejects.toMatchObject({ code: PeerMessageError.PEER_MESSAGE_ERR_TOO_OFTEN });
    await expect(room.sendMessage({ text: '5' })).rejects.toMatchObject({ code: ChannelMessageError.CHANNEL_MESSAGE_ERR_TOO_OFTEN });
    // Another client has its own budget.
    const bob = await kit.user('bob');
    await waitFor(async () => (await bob.sendMessageToPeer({ text: 'hi' }, 'alice')).hasPeerReceived);
  });
});
