import { describe, expect, it } from 'vitest';
import type { PeerMessageDelivery } from '@rtm-kit/protocol';
import { APP_ID, mid, testCore } from './peer-helpers.js';

const text = (t: string) => ({ type: 'TEXT' as const, text: t });
const send = (id: number, peerId: string, t: string, offline = false) => ({ id: mid(id), peerId, message: text(t), offline });
const texts = (messages: readonly PeerMessageDelivery[]) => messages.map((m) => (m.message as { text: string }).text);

describe('PeerService without sockets', () => {
  it('delivers to a connected receiver and reports hasPeerReceived from its acknowledgement', async () => {
    const { core, router, login } = testCore();
    const alice = await login('alice');
    const bob = await login('bob');
    expect(await core.peer.send(alice, send(1, 'bob', 'hi'))).toEqual({ hasPeerReceived: true });
    const [delivery] = router.take('peer:message');
    expect(delivery?.to).toBe(`sess:${bob.sessionId}`);
    expect(delivery?.args[0]).toMatchObject({ from: 'alice', message: text('hi'), offline: false, serverReceivedTs: 1_000_000 });

    // No acknowledgement: not received, and held for that session (its client drops a copy it has).
    router.silent.add(bob.sessionId);
    expect(await core.peer.send(alice, send(2, 'bob', 'lost?'))).toEqual({ hasPeerReceived: false });
    expect(router.take('peer:pending').map((d) => d.to)).toEqual([`sess:${bob.sessionId}`]);
    expect(texts((await core.peer.fetch(bob, [])).messages)).toEqual(['lost?']);
  });

  it('drops a message to a user without a session, unless it is an offline message', async () => {
    const { core, login } = testCore();
    const alice = await login('alice');
    expect(await core.peer.send(alice, send(1, 'bob', 'gone'))).toEqual({ hasPeerReceived: false });
    expect(await core.peer.send(alice, send(2, 'bob', 'kept 1', true))).toEqual({ hasPeerReceived: false });
    expect(await core.peer.send(alice, send(3, 'bob', 'kept 2', true))).toEqual({ hasPeerReceived: false });
    const bob = await login('bob');
    const first = await core.peer.fetch(bob, []);
    expect(texts(first.messages)).toEqual(['kept 1', 'kept 2']);
    expect(first.messages.every((m) => m.offline && m.from === 'alice')).toBe(true);
    // Unacknowledged messages stay; acknowledged ones go, each exactly once.
    expect(texts((await core.peer.fetch(bob, [])).messages)).toEqual(['kept 1', 'kept 2']);
    expect((await core.peer.fetch(bob, first.messages.map((m) => m.id))).messages).toEqual([]);
    await core.sessions.logout(bob);
    expect((await core.peer.fetch(await login('bob'), [])).messages).toEqual([]);
  });

  it('keeps offlineMessagesPerReceiver per receiver, the newest evicting the oldest, for offlineMessageTtlMs', async () => {
    const { core, clock, login } = testCore({ limits: { offlineMessagesPerReceiver: 3 }, timing: { offlineMessageTtlMs: 10_000 } });
    const alice = await login('alice');
    for (let i = 1; i <= 5; i++) await core.peer.send(alice, send(i, 'bob', `m${i}`, true));
    await clock.advance(5_000);
    await core.peer.send(alice, send(6, 'carol', 'for carol', true));
    const bob = await login('bob');
    expect(texts((await core.peer.fetch(bob, [])).messages)).toEqual(['m3', 'm4', 'm5']);
    await clock.advance(5_000); // bob's are 10 s old now: expired
    expect((await core.peer.fetch(bob, [])).messages).toEqual([]);
    expect(texts((await core.peer.fetch(await login('carol'), [])).messages)).toEqual(['for carol']);
  });

  it('holds a message for a receiver in its grace period until it resumes, and drops it when the session ends', async () => {
    const { core, clock, login } = testCore();
    const alice = await login('alice');
    const bob = await login('bob');
    await core.sessions.connectionLost(bob);
    expect(await core.peer.send(alice, send(1, 'bob', 'wait for me'))).toEqual({ hasPeerReceived: false });
    expect(await core.peer.send(alice, send(2, 'bob', 'offline too', true))).toEqual({ hasPeerReceived: false });
    const resumed = await core.sessions.open({ v: 1, appId: APP_ID, uid: 'bob', token: null, sessionId: bob.sessionId, resumeSecret: bob.resumeSecret });
    expect(resumed).toMatchObject({ ok: true, resumed: true });
    const got = (await core.peer.fetch(bob, [])).messages;
    expect(got.map((m) => [(m.message as { text: string }).text, m.offline])).toEqual([
      ['wait for me', false],
      ['offline too', true],
    ]);
    await core.peer.fetch(bob, got.map((m) => m.id));

    if (!resumed.ok) throw new Error('not resumed');
    await core.sessions.connectionLost(resumed.session);
    await core.peer.send(alice, send(3, 'bob', 'never resumed'));
    await core.peer.send(alice, send(4, 'bob', 'offline survives', true));
    await clock.advance(30_000);
    expect(texts((await core.peer.fetch(await login('bob'), [])).messages)).toEqual(['offline survives']);
  });

  it('delivers a retried id once and answers the retry with the first outcome', async () => {
    const { core, router, login } = testCore();
    const alice = await login('alice');
    await login('bob');
    const [first, retry] = await Promise.all([core.peer.send(alice, send(1, 'bob', 'once')), core.peer.send(alice, send(1, 'bob', 'once'))]);
    expect(first).toEqual({ hasPeerReceived: true });
    expect(retry).toEqual({ hasPeerReceived: true });
    expect(await core.peer.send(alice, send(1, 'bob', 'once'))).toEqual({ hasPeerReceived: true });
    expect(router.take('peer:message')).toHaveLength(1);
  });

  it('keeps a sender’s order, whatever path each message takes', async () => {
    const { core, router, login } = testCore();
    const alice = await login('alice');
    const bob = await login('bob');
    const sends = Array.from({ length: 50 }, (_, i) => core.peer.send(alice, send(i, 'bob', `m${i}`)));
    await Promise.all(sends);
    expect(router.take('peer:message').map((d) => (d.args[0] as PeerMessageDelivery).message)).toEqual(
      Array.from({ length: 50 }, (_, i) => text(`m${i}`)),
    );
    await core.sessions.connectionLost(bob);
    await Promise.all(Array.from({ length: 10 }, (_, i) => core.peer.send(alice, send(100 + i, 'bob', `h${i}`))));
    expect(texts((await core.peer.fetch(bob, [])).messages)).toEqual(Array.from({ length: 10 }, (_, i) => `h${i}`));
  });

  it('shares one message budget between peer and channel messages, enforced per session', async () => {
    const { core, clock, login } = testCore({ limits: { messageRate: { count: 3, windowMs: 1_000 } } });
    const alice = await login('alice');
    const bob = await login('bob');
    await core.channels.join(alice, 'room');
    await core.peer.send(alice, send(1, 'bob', 'a'));
    await core.channels.send(alice, { id: mid(2), channelId: 'room', message: text('b') });
    await core.peer.send(alice, send(3, 'bob', 'c'));
    await expect(core.peer.send(alice, send(4, 'bob', 'd'))).rejects.toMatchObject({ codeName: 'PEER_MESSAGE_ERR_TOO_OFTEN' });
    await expect(core.channels.send(alice, { id: mid(5), channelId: 'room', message: text('e') })).rejects.toMatchObject({
      codeName: 'CHANNEL_MESSAGE_ERR_TOO_OFTEN',
    });
    // A retry of a message that was sent is not a new message: answered, not counted.
    expect(await core.peer.send(alice, send(3, 'bob', 'c'))).toEqual({ hasPeerReceived: true });
    // Another client has its own budget.
    expect(await core.peer.send(bob, send(1, 'alice', 'x'))).toEqual({ hasPeerReceived: true });
    await clock.advance(1_000);
    // The refused message was not recorded: the same id goes through now.
    expect(await core.peer.send(alice, send(4, 'bob', 'd'))).toEqual({ hasPeerReceived: true });
  });

  it('checks the peer ID and the size with the configured limits', async () => {
    const { core, login } = testCore({ limits: { messageMaxBytes: 10 } });
    const alice = await login('alice');
    for (const peerId of ['', 'null', 'a/b', 'x'.repeat(65)]) {
      await expect(core.peer.send(alice, send(1, peerId, 'x'))).rejects.toMatchObject({ codeName: 'PEER_MESSAGE_ERR_INVALID_USERID' });
    }
    await expect(core.peer.send(alice, send(2, 'bob', 'x'.repeat(11)))).rejects.toMatchObject({ codeName: 'PEER_MESSAGE_ERR_INVALID_MESSAGE' });
    await expect(
      core.peer.send(alice, { id: mid(3), peerId: 'bob', message: { type: 'RAW', raw: new Uint8Array(8), description: 'abc' }, offline: false }),
    ).rejects.toMatchObject({ codeName: 'PEER_MESSAGE_ERR_INVALID_MESSAGE' });
    expect(await core.peer.send(alice, { id: mid(4), peerId: 'bob', message: { type: 'RAW', raw: new Uint8Array(8), description: 'ab' }, offline: false })).toEqual({
      hasPeerReceived: false,
    });
  });

  it('never delivers a message to yourself, and answers it as received', async () => {
    const { core, router, login } = testCore();
    const alice = await login('alice');
    expect(await core.peer.send(alice, send(1, 'alice', 'me'))).toEqual({ hasPeerReceived: true });
    expect(router.take('peer:message')).toEqual([]);
  });
});
