import { describe, expect, it } from 'vitest';
import AgoraRTM, { RtmChannel, RtmErrorCode, type RtmMessage } from '@rtm-kit/client';
import { APP_ID, tappedTransport, waitFor } from './helpers.js';
import { channelInbox, channelLog, sleep, useKit } from './peer-kit.js';

const { JoinChannelError, LeaveChannelError, ChannelMessageError, GetMembersError, GetChannelMemberCountErrCode, CreateChannelError } = RtmErrorCode;

describe('createChannel, join and leave', () => {
  const kit = useKit();

  it('creates channel objects before login, and refuses an invalid ID synchronously with 1', async () => {
    await kit.start();
    const alice = kit.client();
    const lobby = alice.createChannel('lobby');
    expect(lobby).toBeInstanceOf(RtmChannel);
    expect(lobby.channelId).toBe('lobby');
    for (const id of ['', 'null', 'a/b', 'x'.repeat(65), 3 as unknown as string]) {
      expect(() => alice.createChannel(id)).toThrow(expect.objectContaining({ code: CreateChannelError.CREATE_CHANNEL_ERR_INVALID_ARGUMENT }));
    }
    await expect(lobby.join()).rejects.toMatchObject({ code: JoinChannelError.JOIN_CHANNEL_ERR_USER_NOT_LOGGED_IN });
    await alice.login({ uid: 'alice' });
    await lobby.join();
    expect(await lobby.getMembers()).toEqual(['alice']);
  });

  it('tells remote members about joins and leaves, never the member itself', async () => {
    await kit.start();
    const alice = await kit.user('alice');
    const bob = await kit.user('bob');
    const aliceRoom = alice.createChannel('room');
    const bobRoom = bob.createChannel('room');
    const aliceLog = channelLog(aliceRoom);
    const bobLog = channelLog(bobRoom);
    await aliceRoom.join();
    await bobRoom.join();
    await waitFor(() => aliceLog.includes('joined:bob'), 2_000, 'MemberJoined');
    await bobRoom.leave();
    await waitFor(() => aliceLog.includes('left:bob'), 2_000, 'MemberLeft');
    expect(aliceLog.filter((e) => !e.startsWith('count:'))).toEqual(['joined:bob', 'left:bob']);
    expect(bobLog.filter((e) => !e.startsWith('count:'))).toEqual([]);
    expect(await kit.server.core.channels.members(APP_ID, 'room')).toEqual(['alice']);
  });

  it('answers every join error of the spec', async () => {
    await kit.start();
    const alice = await kit.user('alice');
    const room = alice.createChannel('room');
    await room.join();
    await expect(room.join()).rejects.toMatchObject({ code: JoinChannelError.JOIN_CHANNEL_ERR_ALREADY_JOINED, name: 'RtmInvalidStatusError' });
    await expect(alice.createChannel('room').join()).rejects.toMatchObject({ code: JoinChannelError.JOIN_CHANNEL_ERR_ALREADY_JOINED_CHANNEL_OF_SAME_ID });
    // A join in progress counts as joined.
    const other = alice.createChannel('other');
    const joining = other.join();
    await expect(other.join()).rejects.toMatchObject({ code: JoinChannelError.JOIN_CHANNEL_ERR_ALREADY_JOINED });
    await joining;

    for (let i = 0; i < 18; i++) await alice.createChannel(`c${i}`).join();
    await expect(alice.createChannel('c18').join()).rejects.toMatchObject({ code: JoinChannelError.JOIN_CHANNEL_ERR_EXCEED_LIMIT, name: 'RtmLimitExceededError' });

    await room.leave();
    const again = alice.createChannel('room'); // a new object for the same ID is fine once the first left
    await again.join(); // the 2nd join of 'room' within 5 s
    await again.leave();
    await expect(again.join()).rejects.toMatchObject({ code: JoinChannelError.JOIN_CHANNEL_ERR_JOIN_SAME_CHANNEL_TOO_OFTEN });
    expect(alice.connectionState).toBe('CONNECTED');
  });

  it('refuses more than 50 joins in 3 s with JOIN_CHANNEL_ERR_TOO_OFTEN', async () => {
    await kit.start({ limits: { joinDifferentChannelsRate: { count: 5, windowMs: 60_000 } } });
    const alice = await kit.user('alice');
    for (let i = 0; i < 5; i++) {
      const c = alice.createChannel(`c${i}`);
      await c.join();
      await c.leave();
    }
    await expect(alice.createChannel('sixth').join()).rejects.toMatchObject({ code: JoinChannelError.JOIN_CHANNEL_ERR_TOO_OFTEN, name: 'RtmInvokeTooOftenError' });
  });

  it('answers leave errors: 3 when not joined, 102 when logged out', async () => {
    await kit.start();
    const alice = await kit.user('alice');
    const room = alice.createChannel('room');
    await expect(room.leave()).rejects.toMatchObject({ code: LeaveChannelError.LEAVE_CHANNEL_ERR_NOT_IN_CHANNEL });
    await room.join();
    await room.leave();
    await expect(room.leave()).rejects.toMatchObject({ code: LeaveChannelError.LEAVE_CHANNEL_ERR_NOT_IN_CHANNEL });
    await alice.logout();
    await expect(room.leave()).rejects.toMatchObject({ code: LeaveChannelError.LEAVE_CHANNEL_ERR_USER_NOT_LOGGED_IN });
  });

  it('logout leaves every channel: locally without MemberLeft, remotely with it', async () => {
    await kit.start();
    const alice = await kit.user('alice');
    const bob = await kit.user('bob');
    const rooms = ['a', 'b', 'c'].map((id) => alice.createChannel(id));
    const logs = rooms.map((r) => channelLog(r));
    for (const r of rooms) await r.join();
    const bobA = bob.createChannel('a');
    const bobLog = channelLog(bobA);
    await bobA.join();
    await alice.logout();
    await waitFor(() => bobLog.includes('left:alice'), 2_000, 'MemberLeft at bob');
    expect(logs.flat().filter((e) => e.startsWith('left:'))).toEqual([]);
    for (const id of ['a', 'b', 'c']) expect(await kit.server.core.channels.members(APP_ID, id)).not.toContain('alice');
    // After a new login the channels can be joined again, as new joins.
    await sleep(520);
    await alice.login({ uid: 'alice' });
    await expect(rooms[1]!.sendMessage({ text: 'x' })).rejects.toMatchObject({ code: ChannelMessageError.CHANNEL_MESSAGE_ERR_NOT_IN_CHANNEL });
    await rooms[1]!.join();
  });

  it('a join cut off by logout fails with 102, or was done before it; no member of the ended session stays (A1)', async () => {
    await kit.start();
    const bob = await kit.user('bob');
    const bobRoom = bob.createChannel('room');
    const bobLog = channelLog(bobRoom);
    await bobRoom.join();
    const uids = Array.from({ length: 6 }, (_, i) => `alice${i}`);
    for (const uid of uids) {
      const alice = await kit.user(uid);
      const order: string[] = [];
      const joining = alice
        .createChannel('room')
        .join()
        .then(
          () => void order.push('joined'),
          (error: { code: number }) => void order.push(`refused ${error.code}`),
        );
      await alice.logout(); // not waiting for the join, as an app closing a page does
      order.push('logged out');
      await joining;
      expect([['joined', 'logged out'], ['refused 102', 'logged out'], ['logged out', 'refused 102']]).toContainEqual(order);
    }
    // Answered after every join above was handled; member events reach bob before the answer.
    expect(await bobRoom.getMembers()).toEqual(['bob']);
    expect(await kit.server.core.channels.count(APP_ID, 'room')).toBe(1);
    for (const uid of uids) {
      const events = bobLog.filter((e) => e.endsWith(`:${uid}`));
      expect([[], [`joined:${uid}`, `left:${uid}`]]).toContainEqual(events);
    }
  });

  it('a remote login takes the kicked session out of its channels', async () => {
    await kit.start();
    const first = await kit.user('dora');
    const watcher = await kit.user('watcher');
    await first.createChannel('room').join();
    const room = watcher.createChannel('room');
    const log = channelLog(room);
    await room.join();
    const second = await kit.user('dora');
    await waitFor(() => first.connectionState === 'ABORTED', 2_000, 'ABORTED');
    await waitFor(() => log.includes('left:dora'), 2_000, 'MemberLeft');
    expect(await room.getMembers()).toEqual(['watcher']);
    expect(second.connectionState).toBe('CONNECTED');
  });
});

describe('channel messages', () => {
  const kit = useKit();

  it('reaches every other member with the sender and serverReceivedTs, never the sender', async () => {
    await kit.start();
    const [alice, bob, carol] = [await kit.user('alice'), await kit.user('bob'), await kit.user('carol')];
    const rooms = [alice, bob, carol].map((c) => c.createChannel('room'));
    const inboxes = rooms.map((r) => channelInbox(r));
    let props: unknown;
    rooms[1]!.on('ChannelMessage', (_m, _from, p) => (props = p));
    for (const r of rooms) await r.join();
    const before = Date.now();
    await rooms[0]!.sendMessage({ text: 'hello room' });
    await waitFor(() => inboxes[1]!.length === 1 && inboxes[2]!.length === 1, 2_000, 'the message');
    expect(inboxes[1]).toEqual([{ text: 'hello room', from: 'alice' }]);
    expect(inboxes[2]).toEqual([{ text: 'hello room', from: 'alice' }]);
    expect(props).toEqual({ serverReceivedTs: expect.any(Number), isOfflineMessage: false });
    expect((props as { serverReceivedTs: number }).serverReceivedTs).toBeGreaterThanOrEqual(before - 5);
    await sleep(50);
    expect(inboxes[0]).toEqual([]);
  });

  it('carries raw messages and keeps each sender’s order', async () => {
    await kit.start();
    const alice = await kit.user('alice');
    const bob = await kit.user('bob');
    const a = alice.createChannel('room');
    const b = bob.createChannel('room');
    const got: RtmMessage[] = [];
    b.on('ChannelMessage', (m) => got.push(m));
    await a.join();
    await b.join();
    await Promise.all([a.sendMessage({ rawMessage: new Uint8Array([9, 8, 7]), description: 'bytes' }), ...Array.from({ length: 50 }, (_, i) => a.sendMessage({ text: `m${i}` }))]);
    await waitFor(() => got.length === 51, 3_000, 'all messages');
    expect(got[0]).toEqual({ rawMessage: new Uint8Array([9, 8, 7]), description: 'bytes', messageType: 'RAW' });
    expect(got.slice(1).map((m) => ('text' in m ? m.text : '?'))).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
  });

  it('answers sendMessage errors: invalid 4, too large 4, not joined 5, logged out 102', async () => {
    await kit.start();
    const alice = kit.client();
    const room = alice.createChannel('room');
    await expect(room.sendMessage({ text: 'x' })).rejects.toMatchObject({ code: ChannelMessageError.CHANNEL_MESSAGE_ERR_USER_NOT_LOGGED_IN });
    await alice.login({ uid: 'alice' });
    await expect(room.sendMessage({ text: 'x' })).rejects.toMatchObject({ code: ChannelMessageError.CHANNEL_MESSAGE_ERR_NOT_IN_CHANNEL, name: 'RtmInvalidStatusError' });
    await room.join();
    for (const bad of [null, {}, { text: 1 }, { text: 'a', rawMessage: new Uint8Array(1) }, { messageType: 'NOPE' }]) {
      await expect(room.sendMessage(bad as RtmMessage)).rejects.toMatchObject({ code: ChannelMessageError.CHANNEL_MESSAGE_ERR_INVALID_MESSAGE });
    }
    await expect(room.sendMessage({ text: 'x'.repeat(32_769) })).rejects.toMatchObject({
      code: ChannelMessageError.CHANNEL_MESSAGE_ERR_INVALID_MESSAGE,
      name: 'RtmLimitExceededError',
    });
    await expect(room.sendMessage({ text: 'x'.repeat(32_768) })).resolves.toBeUndefined();
    // 1.4.x options are accepted.
    await expect(room.sendMessage({ text: 'x' }, { enableHistoricalMessaging: true })).resolves.toBeUndefined();
    await room.leave();
    await expect(room.sendMessage({ text: 'x' })).rejects.toMatchObject({ code: ChannelMessageError.CHANNEL_MESSAGE_ERR_NOT_IN_CHANNEL });
  });

  it('waits while RECONNECTING and sends once the connection is back (reconnect cache)', async () => {
    await kit.start();
    const bob = await kit.user('bob');
    const bobRoom = bob.createChannel('room');
    const inbox = channelInbox(bobRoom);
    await bobRoom.join();
    const tap = tappedTransport();
    const alice = kit.client({ transport: tap.transport, timing: { interruptionMs: 50, reconnectDelayMs: 800, reconnectDelayMaxMs: 800 } });
    await alice.login({ uid: 'alice' });
    const room = alice.createChannel('room');
    await room.join();
    tap.drop();
    await waitFor(() => alice.connectionState === 'RECONNECTING', 2_000, 'RECONNECTING');
    await Promise.all([room.sendMessage({ text: 'one' }), room.sendMessage({ text: 'two' })]);
    await waitFor(() => inbox.length === 2, 2_000, 'both messages');
    expect(inbox).toEqual([
      { text: 'one', from: 'alice' },
      { text: 'two', from: 'alice' },
    ]);
  });
});

describe('getMembers and getChannelMemberCount', () => {
  const kit = useKit();

  it('lists joined members including the caller, and answers its errors', async () => {
    await kit.start();
    const alice = await kit.user('alice');
    const bob = await kit.user('bob');
    const room = alice.createChannel('room');
    await expect(room.getMembers()).rejects.toMatchObject({ code: GetMembersError.GET_MEMBERS_ERR_NOT_IN_CHANNEL });
    await room.join();
    await bob.createChannel('room').join();
    expect((await room.getMembers()).sort()).toEqual(['alice', 'bob']);
    // 5 calls per 2 s.
    for (let i = 0; i < 4; i++) await room.getMembers();
    await expect(room.getMembers()).rejects.toMatchObject({ code: GetMembersError.GET_MEMBERS_ERR_TOO_OFTEN });
    await alice.logout();
    await expect(room.getMembers()).rejects.toMatchObject({ code: GetMembersError.GET_MEMBERS_ERR_USER_NOT_LOGGED_IN });
  });

  it('returns a random subset above getMembersMax', async () => {
    await kit.start({ limits: { getMembersMax: 2 } });
    const users = await Promise.all(['a', 'b', 'c', 'd'].map((uid) => kit.user(uid)));
    const rooms = users.map((u) => u.createChannel('room'));
    for (const r of rooms) await r.join();
    const members = await rooms[0]!.getMembers();
    expect(members).toHaveLength(2);
    expect(members.every((m) => ['a', 'b', 'c', 'd'].includes(m))).toBe(true);
  });

  it('checks joins and member counts against the limits of the server it logged in to', async () => {
    await kit.start({ limits: { joinedChannelsMax: 22, memberCountChannelsMax: 40 } });
    const alice = await kit.user('alice');
    for (let i = 0; i < 22; i++) await alice.createChannel(`c${i}`).join();
    await expect(alice.createChannel('c22').join()).rejects.toMatchObject({ code: JoinChannelError.JOIN_CHANNEL_ERR_EXCEED_LIMIT });
    const ids = Array.from({ length: 40 }, (_, i) => `c${i}`);
    const counts = await alice.getChannelMemberCount(ids);
    expect(Object.keys(counts)).toHaveLength(40);
    expect(counts['c0']).toBe(1);
    await expect(alice.getChannelMemberCount([...ids, 'c40'])).rejects.toMatchObject({
      code: GetChannelMemberCountErrCode.GET_CHANNEL_MEMBER_COUNT_ERR_EXCEED_LIMIT,
    });
  });

  it('counts members of channels without joining, and answers its errors', async () => {
    await kit.start();
    const alice = await kit.user('alice');
    const bob = await kit.user('bob');
    await expect(kit.client().getChannelMemberCount(['room'])).rejects.toMatchObject({
      code: GetChannelMemberCountErrCode.GET_CHANNEL_MEMBER_COUNT_ERR_USER_NOT_LOGGED_IN,
    });
    await bob.createChannel('room').join();
    await expect(alice.getChannelMemberCount(['room', 'empty', 'room'])).resolves.toEqual({ room: 1, empty: 0 });
    await expect(alice.getChannelMemberCount(['room'])).rejects.toMatchObject({
      code: GetChannelMemberCountErrCode.GET_CHANNEL_MEMBER_COUNT_ERR_TOO_OFTEN,
    });
    const invalid = { code: GetChannelMemberCountErrCode.GET_CHANNEL_MEMBER_COUNT_ERR_INVALID_ARGUMENT };
    await expect(alice.getChannelMemberCount([])).rejects.toMatchObject(invalid);
    await expect(alice.getChannelMemberCount(['ok', 'a/b'])).rejects.toMatchObject(invalid);
    await expect(alice.getChannelMemberCount('room' as unknown as string[])).rejects.toMatchObject(invalid);
    await expect(alice.getChannelMemberCount(Array.from({ length: 33 }, (_, i) => `c${i}`))).rejects.toMatchObject({
      code: GetChannelMemberCountErrCode.GET_CHANNEL_MEMBER_COUNT_ERR_EXCEED_LIMIT,
      name: 'RtmLimitExceededError',
    });
  });
});

describe('AgoraRTM module', () => {
  it('exposes RtmChannel objects with the 1.x members', async () => {
    const client = AgoraRTM.createInstance(APP_ID, { logFilter: AgoraRTM.LOG_FILTER_OFF });
    const channel = client.createChannel('x');
    for (const method of ['join', 'leave', 'sendMessage', 'getMembers', 'on', 'once', 'off', 'removeAllListeners']) {
      expect(typeof (channel as unknown as Record<string, unknown>)[method]).toBe('function');
    }
  });
});
