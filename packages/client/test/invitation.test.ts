import { afterEach, describe, expect, it } from 'vitest';
import AgoraRTM, { RtmErrorCode, socketIoTransport, type LocalInvitation, type RemoteInvitation, type RtmClient, type RtmMessage, type Transport } from '@rtm-kit/client';
import { MemoryStore, startServer, type RtmServer, type ServerOptions } from '@rtm-kit/server';
import { createManualClock } from '@rtm-kit/server/testing';
import { APP_ID, tappedTransport, waitFor } from './helpers.js';

const { InvitationApiCallError } = RtmErrorCode;
const quiet = { logFilter: AgoraRTM.LOG_FILTER_OFF };

let server: RtmServer | null = null;
const clients: RtmClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.logout().catch(() => undefined)));
  await server?.close();
  server = null;
});

async function start(options: ServerOptions = {}): Promise<RtmServer> {
  server = await startServer({ port: 0, logger: false, ...options });
  return server;
}

function client(extra: Parameters<typeof AgoraRTM.createInstance>[1] = {}): RtmClient {
  const c = AgoraRTM.createInstance(APP_ID, { serverUrl: server!.url, ...quiet, ...extra });
  clients.push(c);
  return c;
}

async function user(uid: string, extra: Parameters<typeof AgoraRTM.createInstance>[1] = {}): Promise<RtmClient> {
  const c = client(extra);
  await c.login({ uid });
  return c;
}

/** Every event of a local invitation, as "Event" or "Event:arg". */
function recordLocal(invitation: LocalInvitation): string[] {
  const seen: string[] = [];
  invitation.on('LocalInvitationReceivedByPeer', () => seen.push('ReceivedByPeer'));
  invitation.on('LocalInvitationAccepted', (response) => seen.push(`Accepted:${response}`));
  invitation.on('LocalInvitationRefused', (response) => seen.push(`Refused:${response}`));
  invitation.on('LocalInvitationCanceled', () => seen.push('Canceled'));
  invitation.on('LocalInvitationFailure', (reason) => seen.push(`Failure:${reason}`));
  return seen;
}

function recordRemote(invitation: RemoteInvitation): string[] {
  const seen: string[] = [];
  invitation.on('RemoteInvitationAccepted', () => seen.push('Accepted'));
  invitation.on('RemoteInvitationRefused', () => seen.push('Refused'));
  invitation.on('RemoteInvitationCanceled', (content) => seen.push(`Canceled:${content}`));
  invitation.on('RemoteInvitationFailure', (reason) => seen.push(`Failure:${reason}`));
  return seen;
}

/** Collects the invitations a client receives, with their events recorded from the start. */
function inbox(c: RtmClient): Array<{ invitation: RemoteInvitation; events: string[] }> {
  const got: Array<{ invitation: RemoteInvitation; events: string[] }> = [];
  c.on('RemoteInvitationReceived', (invitation) => got.push({ invitation, events: recordRemote(invitation) }));
  return got;
}

describe('call invitations: the happy paths', () => {
  it('delivers content and channelId, and an accept ends ACCEPTED on both sides with the response', async () => {
    await start();
    const alice = await user('alice');
    const bob = await user('bob');
    const received = inbox(bob);
    const invitation = alice.createLocalInvitation('bob');
    expect(invitation.state).toBe('IDLE');
    expect(invitation.calleeId).toBe('bob');
    invitation.content = 'join room 42';
    invitation.channelId = 'room-42';
    const events = recordLocal(invitation);
    invitation.send();
    expect(invitation.state).toBe('SENT_TO_REMOTE');
    // The channel ID cannot change once sent (runtime: ignored unless IDLE).
    invitation.channelId = 'other';
    expect(invitation.channelId).toBe('room-42');

    await waitFor(() => received.length === 1 && invitation.state === 'RECEIVED_BY_REMOTE', 3000, 'delivery');
    const remote = received[0]!.invitation;
    expect(remote.callerId).toBe('alice');
    expect(remote.content).toBe('join room 42');
    expect(remote.channelId).toBe('room-42');
    expect(remote.state).toBe('INVITATION_RECEIVED');
    expect(events).toEqual(['ReceivedByPeer']);

    remote.response = 'coming';
    remote.accept();
    expect(remote.state).toBe('ACCEPT_SENT_TO_LOCAL');
    await waitFor(() => remote.state === 'ACCEPTED' && invitation.state === 'ACCEPTED_BY_REMOTE', 3000, 'accepted');
    expect(events).toEqual(['ReceivedByPeer', 'Accepted:coming']);
    expect(invitation.response).toBe('coming');
    expect(received[0]!.events).toEqual(['Accepted']);
  });

  it('refuse ends REFUSED on both sides; the callee sees it at once', async () => {
    await start();
    const alice = await user('alice');
    const bob = await user('bob');
    const received = inbox(bob);
    const invitation = alice.createLocalInvitation('bob');
    const events = recordLocal(invitation);
    invitation.send();
    await waitFor(() => received.length === 1);
    const remote = received[0]!.invitation;
    remote.response = 'busy';
    remote.refuse();
    expect(remote.state).toBe('REFUSED');
    expect(received[0]!.events).toEqual(['Refused']);
    await waitFor(() => invitation.state === 'REFUSED_BY_REMOTE', 3000, 'refused');
    expect(events).toEqual(['ReceivedByPeer', 'Refused:busy']);
    expect(invitation.response).toBe('busy');
  });

  it('cancel ends CANCELED at once for the caller; the callee gets the content sent with the cancel', async () => {
    await start();
    const alice = await user('alice');
    const bob = await user('bob');
    const received = inbox(bob);
    const invitation = alice.createLocalInvitation('bob');
    invitation.content = 'first';
    const events = recordLocal(invitation);
    invitation.send();
    await waitFor(() => received.length === 1 && invitation.state === 'RECEIVED_BY_REMOTE');
    invitation.content = 'never mind';
    invitation.cancel();
    expect(invitation.state).toBe('CANCELED');
    expect(events).toEqual(['ReceivedByPeer', 'Canceled']);
    await waitFor(() => received[0]!.invitation.state === 'CANCELED', 3000, 'callee canceled');
    expect(received[0]!.events).toEqual(['Canceled:never mind']);
  });

  it('an accept or refuse made in the RemoteInvitationReceived listener still reports ReceivedByPeer first', async () => {
    await start();
    const alice = await user('alice');
    const bob = await user('bob');
    bob.on('RemoteInvitationReceived', (remote) => remote.refuse());
    const invitation = alice.createLocalInvitation('bob');
    const events = recordLocal(invitation);
    invitation.send();
    await waitFor(() => invitation.state === 'REFUSED_BY_REMOTE', 3000, 'refused');
    expect(events).toEqual(['ReceivedByPeer', 'Refused:']);
  });

  it('delivers two invitations to one callee independently', async () => {
    await start();
    const alice = await user('alice');
    const carol = await user('carol');
    const bob = await user('bob');
    const received = inbox(bob);
    const fromAlice = alice.createLocalInvitation('bob');
    const fromCarol = carol.createLocalInvitation('bob');
    fromAlice.content = 'a';
    fromCarol.content = 'c';
    fromAlice.send();
    fromCarol.send();
    await waitFor(() => received.length === 2, 3000, 'two invitations');
    const byCaller = new Map(received.map((r) => [r.invitation.callerId, r.invitation]));
    expect(byCaller.get('alice')?.content).toBe('a');
    expect(byCaller.get('carol')?.content).toBe('c');
    byCaller.get('carol')!.accept();
    byCaller.get('alice')!.refuse();
    await waitFor(() => fromCarol.state === 'ACCEPTED_BY_REMOTE' && fromAlice.state === 'REFUSED_BY_REMOTE', 3000, 'answers');
    expect(byCaller.get('carol')!.state).toBe('ACCEPTED');
  });

  it('passes the legacy Signaling end-call text through as a normal peer message (§9.8)', async () => {
    await start();
    const alice = await user('alice');
    const bob = await user('bob');
    const messages: RtmMessage[] = [];
    bob.on('MessageFromPeer', (message) => messages.push(message));
    const text = `${AgoraRTM.END_CALL_PREFIX}_room-42_bye`;
    await expect(alice.sendMessageToPeer({ text }, 'bob')).resolves.toEqual({ hasPeerReceived: true });
    expect(messages).toEqual([{ text, messageType: 'TEXT' }]);
  });
});

describe('call invitations: API-call errors (§4, InvitationApiCallError)', () => {
  it('createLocalInvitation refuses an invalid callee ID synchronously', async () => {
    await start();
    const alice = client();
    for (const bad of ['', 'null', 'a/b', 'x'.repeat(65), 7 as unknown as string]) {
      expect(() => alice.createLocalInvitation(bad)).toThrow(expect.objectContaining({ code: InvitationApiCallError.INVITATION_API_CALL_ERR_INVALID_ARGUMENT }));
    }
  });

  it('send and cancel throw NOT_STARTED, ALREADY_SENT, ALREADY_END and INVALID_ARGUMENT as the runtime does', async () => {
    await start();
    const alice = await user('alice');
    await user('bob');
    const invitation = alice.createLocalInvitation('bob');
    expect(() => invitation.cancel()).toThrow(expect.objectContaining({ code: InvitationApiCallError.INVITATION_API_CALL_ERR_NOT_STARTED }));
    expect(() => {
      invitation.response = 'x';
    }).toThrow(expect.objectContaining({ code: InvitationApiCallError.INVITATION_API_CALL_ERR_INVALID_ARGUMENT }));

    invitation.content = 'é'.repeat(4097); // 8194 bytes
    expect(() => invitation.send()).toThrow(expect.objectContaining({ code: InvitationApiCallError.INVITATION_API_CALL_ERR_INVALID_ARGUMENT }));
    invitation.content = 'é'.repeat(4096); // exactly 8 KB
    invitation.channelId = 'bad/channel';
    expect(() => invitation.send()).toThrow(expect.objectContaining({ code: InvitationApiCallError.INVITATION_API_CALL_ERR_INVALID_ARGUMENT }));
    expect(invitation.state).toBe('IDLE');
    invitation.channelId = 'ok';
    invitation.send();
    expect(() => invitation.send()).toThrow(expect.objectContaining({ code: InvitationApiCallError.INVITATION_API_CALL_ERR_ALREADY_SENT }));
    invitation.content = 'x'.repeat(8193);
    expect(() => invitation.cancel()).toThrow(expect.objectContaining({ code: InvitationApiCallError.INVITATION_API_CALL_ERR_INVALID_ARGUMENT }));
    invitation.content = 'bye';
    invitation.cancel();
    expect(() => invitation.cancel()).toThrow(expect.objectContaining({ code: InvitationApiCallError.INVITATION_API_CALL_ERR_ALREADY_END }));
    // A finished invitation cannot be re-sent.
    expect(() => invitation.send()).toThrow(expect.objectContaining({ code: InvitationApiCallError.INVITATION_API_CALL_ERR_ALREADY_END }));
  });

  it('accept and refuse throw ALREADY_ACCEPT, ALREADY_END and INVALID_ARGUMENT; remote channelId and content are read-only', async () => {
    await start();
    const alice = await user('alice');
    const bob = await user('bob');
    const received = inbox(bob);
    const first = alice.createLocalInvitation('bob');
    first.send();
    await waitFor(() => received.length === 1);
    const remote = received[0]!.invitation;
    expect(() => {
      remote.content = 'x';
    }).toThrow(expect.objectContaining({ code: InvitationApiCallError.INVITATION_API_CALL_ERR_INVALID_ARGUMENT }));
    expect(() => {
      remote.channelId = 'x';
    }).toThrow(expect.objectContaining({ code: InvitationApiCallError.INVITATION_API_CALL_ERR_INVALID_ARGUMENT }));
    remote.response = 'r'.repeat(8193);
    expect(() => remote.accept()).toThrow(expect.objectContaining({ code: InvitationApiCallError.INVITATION_API_CALL_ERR_INVALID_ARGUMENT }));
    expect(() => remote.refuse()).toThrow(expect.objectContaining({ code: InvitationApiCallError.INVITATION_API_CALL_ERR_INVALID_ARGUMENT }));
    remote.response = 'ok';
    remote.accept();
    expect(() => remote.accept()).toThrow(expect.objectContaining({ code: InvitationApiCallError.INVITATION_API_CALL_ERR_ALREADY_ACCEPT }));
    expect(() => remote.refuse()).toThrow(expect.objectContaining({ code: InvitationApiCallError.INVITATION_API_CALL_ERR_ALREADY_ACCEPT }));
    await waitFor(() => remote.state === 'ACCEPTED');
    expect(() => remote.accept()).toThrow(expect.objectContaining({ code: InvitationApiCallError.INVITATION_API_CALL_ERR_ALREADY_END }));
    expect(() => remote.refuse()).toThrow(expect.objectContaining({ code: InvitationApiCallError.INVITATION_API_CALL_ERR_ALREADY_END }));
    expect(() => first.cancel()).toThrow(expect.objectContaining({ code: InvitationApiCallError.INVITATION_API_CALL_ERR_ALREADY_END }));
  });

  it('sending while not logged in fails NOT_LOGGEDIN after send() returns', async () => {
    await start();
    const alice = client();
    const invitation = alice.createLocalInvitation('bob');
    const events = recordLocal(invitation);
    invitation.send();
    expect(invitation.state).toBe('SENT_TO_REMOTE');
    expect(events).toEqual([]);
    await waitFor(() => invitation.state === 'FAILURE', 1000, 'failure');
    expect(events).toEqual(['Failure:NOT_LOGGEDIN']);
  });
});

describe('call invitations: timers (fake clock)', () => {
  it('keeps trying an offline callee for 30 s, then fails PEER_OFFLINE', async () => {
    const clock = createManualClock();
    const store = new MemoryStore();
    await start({ clock, store });
    const alice = await user('alice');
    const invitation = alice.createLocalInvitation('bob');
    const events = recordLocal(invitation);
    invitation.send();
    // Nothing tells the caller that the server has it; look in the store before moving time.
    await waitFor(async () => (await store.invitations.getInvitation(APP_ID, invitation.callId)) !== null, 2000, 'server has it');
    await clock.advance(29_000);
    expect(invitation.state).toBe('SENT_TO_REMOTE');
    await clock.advance(1_000);
    await waitFor(() => invitation.state === 'FAILURE', 2000, 'failure');
    expect(events).toEqual(['Failure:PEER_OFFLINE']);
  });

  it('delivers to a callee that logs in within the 30 s', async () => {
    const clock = createManualClock();
    await start({ clock });
    const alice = await user('alice');
    const invitation = alice.createLocalInvitation('bob');
    invitation.content = 'late';
    const events = recordLocal(invitation);
    invitation.send();
    await clock.advance(20_000);
    const bob = client();
    const received = inbox(bob);
    await bob.login({ uid: 'bob' });
    await waitFor(() => received.length === 1 && invitation.state === 'RECEIVED_BY_REMOTE', 3000, 'late delivery');
    expect(received[0]!.invitation.content).toBe('late');
    await clock.advance(15_000); // past the delivery window: received invitations are not failed by it
    expect(invitation.state).toBe('RECEIVED_BY_REMOTE');
    expect(events).toEqual(['ReceivedByPeer']);
  });

  it('fails INVITATION_EXPIRE on both sides 60 s after receipt when nobody answers', async () => {
    const clock = createManualClock();
    await start({ clock });
    const alice = await user('alice');
    const bob = await user('bob');
    const received = inbox(bob);
    const invitation = alice.createLocalInvitation('bob');
    const events = recordLocal(invitation);
    invitation.send();
    await waitFor(() => invitation.state === 'RECEIVED_BY_REMOTE');
    await clock.advance(59_999);
    expect(invitation.state).toBe('RECEIVED_BY_REMOTE');
    await clock.advance(1);
    await waitFor(() => invitation.state === 'FAILURE' && received[0]!.invitation.state === 'FAILURE', 2000, 'expiry');
    expect(events).toEqual(['ReceivedByPeer', 'Failure:INVITATION_EXPIRE']);
    expect(received[0]!.events).toEqual(['Failure:INVITATION_EXPIRE']);
    // An answer after the expiry changes nothing.
    expect(() => received[0]!.invitation.accept()).toThrow(expect.objectContaining({ code: InvitationApiCallError.INVITATION_API_CALL_ERR_ALREADY_END }));
  });

  it('fails the accept with ACCEPT_FAILURE when the caller cannot confirm it within 5 s; the caller learns it on return', async () => {
    const clock = createManualClock();
    const store = new MemoryStore();
    await start({ clock, store });
    const tap = tappedTransport();
    const alice = await user('alice', { transport: tap.transport, timing: { interruptionMs: 0, reconnectDelayMs: 1_500, reconnectDelayMaxMs: 1_500 } });
    const bob = await user('bob');
    const received = inbox(bob);
    const invitation = alice.createLocalInvitation('bob');
    const events = recordLocal(invitation);
    invitation.send();
    await waitFor(() => invitation.state === 'RECEIVED_BY_REMOTE');
    tap.drop();
    await waitFor(async () => (await server!.core.sessions.get(APP_ID, 'alice'))?.connected === false, 2000, 'caller unreachable');
    const remote = received[0]!.invitation;
    remote.accept();
    expect(remote.state).toBe('ACCEPT_SENT_TO_LOCAL');
    await waitFor(async () => (await store.invitations.getInvitation(APP_ID, remote.callId))?.phase === 'ACCEPTING', 1000, 'accept on the server');
    await clock.advance(4_999);
    expect(remote.state).toBe('ACCEPT_SENT_TO_LOCAL');
    await clock.advance(1);
    await waitFor(() => remote.state === 'FAILURE', 2000, 'accept failure');
    expect(received[0]!.events).toEqual(['Failure:ACCEPT_FAILURE']);
    expect(events).toEqual(['ReceivedByPeer']);
    // The caller comes back within its grace period and hears the same outcome.
    await waitFor(() => invitation.state === 'FAILURE', 4000, 'caller learns the outcome');
    expect(events).toEqual(['ReceivedByPeer', 'Failure:UNKNOWN']);
  });

  it('fails the callee with PEER_OFFLINE when the caller logs out mid-ring, and the caller with NOT_LOGGEDIN', async () => {
    const clock = createManualClock();
    await start({ clock });
    const alice = await user('alice');
    const bob = await user('bob');
    const received = inbox(bob);
    const invitation = alice.createLocalInvitation('bob');
    const events = recordLocal(invitation);
    invitation.send();
    await waitFor(() => invitation.state === 'RECEIVED_BY_REMOTE');
    await alice.logout();
    expect(events).toEqual(['ReceivedByPeer', 'Failure:NOT_LOGGEDIN']);
    await waitFor(() => received[0]!.invitation.state === 'FAILURE', 2000, 'callee failure');
    expect(received[0]!.events).toEqual(['Failure:PEER_OFFLINE']);
  });

  it('fails the caller with PEER_OFFLINE when the ringing callee is kicked by a remote login', async () => {
    await start();
    const alice = await user('alice');
    const bob = await user('bob');
    const received = inbox(bob);
    const invitation = alice.createLocalInvitation('bob');
    const events = recordLocal(invitation);
    invitation.send();
    await waitFor(() => invitation.state === 'RECEIVED_BY_REMOTE');
    const bobElsewhere = client();
    await bobElsewhere.login({ uid: 'bob' });
    await waitFor(() => invitation.state === 'FAILURE', 3000, 'caller failure');
    expect(events).toEqual(['ReceivedByPeer', 'Failure:PEER_OFFLINE']);
    await waitFor(() => bob.connectionState === 'ABORTED');
    expect(received[0]!.events).toEqual(['Failure:UNKNOWN']);
  });

  it('fails the caller with PEER_OFFLINE when the ringing callee\'s grace period runs out', async () => {
    const clock = createManualClock();
    await start({ clock });
    const tap = tappedTransport();
    const alice = await user('alice');
    const bob = await user('bob', { transport: tap.transport, timing: { reconnectDelayMs: 120_000, reconnectDelayMaxMs: 120_000 } });
    const received = inbox(bob);
    const invitation = alice.createLocalInvitation('bob');
    const events = recordLocal(invitation);
    invitation.send();
    await waitFor(() => invitation.state === 'RECEIVED_BY_REMOTE' && received.length === 1);
    tap.drop();
    await waitFor(async () => (await server!.core.sessions.get(APP_ID, 'bob'))?.connected === false, 2000, 'callee unreachable');
    await clock.advance(29_000);
    expect(invitation.state).toBe('RECEIVED_BY_REMOTE');
    await clock.advance(1_000);
    await waitFor(() => invitation.state === 'FAILURE', 2000, 'caller failure');
    expect(events).toEqual(['ReceivedByPeer', 'Failure:PEER_OFFLINE']);
  });
});

describe('call invitations: races', () => {
  it('an accept and a cancel that cross end the same way on both sides', async () => {
    await start();
    const alice = await user('alice');
    const bob = await user('bob');
    const received = inbox(bob);
    const outcomes = new Set<string>();
    for (let round = 0; round < 12; round++) {
      const invitation = alice.createLocalInvitation('bob');
      invitation.send();
      await waitFor(() => received.length === round + 1 && invitation.state === 'RECEIVED_BY_REMOTE', 3000, `round ${round}`);
      const remote = received[round]!.invitation;
      // Fire both without waiting, in alternating order.
      if (round % 2 === 0) {
        remote.accept();
        invitation.cancel();
      } else {
        invitation.cancel();
        remote.accept();
      }
      await waitFor(() => remote.state !== 'ACCEPT_SENT_TO_LOCAL', 3000, `round ${round} settles`);
      expect(invitation.state).toBe('CANCELED');
      expect(remote.state).toBe('CANCELED');
      outcomes.add(`${invitation.state}/${remote.state}`);
    }
    expect([...outcomes]).toEqual(['CANCELED/CANCELED']);
  });

  it('a cancel after the accept arrived is refused (ALREADY_END) and both end ACCEPTED', async () => {
    await start();
    const alice = await user('alice');
    const bob = await user('bob');
    const received = inbox(bob);
    const invitation = alice.createLocalInvitation('bob');
    const errors: unknown[] = [];
    // Cancel as soon as the SDK hears of the accept, before it is reported.
    invitation.on('LocalInvitationAccepted', () => {
      try {
        invitation.cancel();
      } catch (error) {
        errors.push(error);
      }
    });
    invitation.send();
    await waitFor(() => received.length === 1);
    received[0]!.invitation.accept();
    await waitFor(() => received[0]!.invitation.state === 'ACCEPTED' && invitation.state === 'ACCEPTED_BY_REMOTE', 3000, 'accepted');
    expect(errors).toEqual([expect.objectContaining({ code: InvitationApiCallError.INVITATION_API_CALL_ERR_ALREADY_END })]);
  });
});

/** A transport that holds back one client event until released, to open a race window. */
function holdingTransport(event: string): { transport: Transport; held: () => number; release(): void } {
  const inner = socketIoTransport();
  const queue: Array<() => void> = [];
  return {
    transport: (options) => {
      const socket = inner(options);
      const emit = socket.emit.bind(socket);
      return Object.assign(socket, {
        emit: (name: string, ...args: unknown[]) => {
          if (name !== event) return emit(name, ...args);
          queue.push(() => emit(name, ...args));
          return socket;
        },
      });
    },
    held: () => queue.length,
    release: () => {
      for (const send of queue.splice(0)) send();
    },
  };
}

describe('call invitations: the confirmation window', () => {
  it('refuses a cancel once the callee\'s accept is being confirmed, and both end ACCEPTED', async () => {
    await start();
    const hold = holdingTransport('invitation:confirm');
    const alice = await user('alice', { transport: hold.transport });
    const bob = await user('bob');
    const received = inbox(bob);
    const invitation = alice.createLocalInvitation('bob');
    const events = recordLocal(invitation);
    invitation.send();
    await waitFor(() => received.length === 1 && invitation.state === 'RECEIVED_BY_REMOTE');
    received[0]!.invitation.accept();
    await waitFor(() => hold.held() === 1, 2000, 'confirmation held');
    expect(() => invitation.cancel()).toThrow(expect.objectContaining({ code: InvitationApiCallError.INVITATION_API_CALL_ERR_ALREADY_END }));
    expect(invitation.state).toBe('RECEIVED_BY_REMOTE');
    hold.release();
    await waitFor(() => invitation.state === 'ACCEPTED_BY_REMOTE' && received[0]!.invitation.state === 'ACCEPTED', 2000, 'accepted');
    expect(events).toEqual(['ReceivedByPeer', 'Accepted:']);
    expect(received[0]!.events).toEqual(['Accepted']);
  });
});

describe('call invitations: real time with shortened timing', () => {
  it('fails PEER_OFFLINE after a 300 ms delivery window', async () => {
    await start({ timing: { invitationDeliveryMs: 300 } });
    const alice = await user('alice');
    const invitation = alice.createLocalInvitation('nobody');
    const events = recordLocal(invitation);
    const t0 = Date.now();
    invitation.send();
    await waitFor(() => invitation.state === 'FAILURE', 3000, 'failure');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(events).toEqual(['Failure:PEER_OFFLINE']);
  });

  it('expires after a 400 ms expiry on both sides', async () => {
    await start({ timing: { invitationExpireMs: 400 } });
    const alice = await user('alice');
    const bob = await user('bob');
    const received = inbox(bob);
    const invitation = alice.createLocalInvitation('bob');
    const events = recordLocal(invitation);
    invitation.send();
    await waitFor(() => invitation.state === 'FAILURE' && received[0]?.invitation.state === 'FAILURE', 3000, 'expiry');
    expect(events).toEqual(['ReceivedByPeer', 'Failure:INVITATION_EXPIRE']);
    expect(received[0]!.events).toEqual(['Failure:INVITATION_EXPIRE']);
  });

  it('learns an outcome decided while its connection was briefly gone', async () => {
    await start();
    const tap = tappedTransport();
    const alice = await user('alice', { transport: tap.transport, timing: { interruptionMs: 50, reconnectDelayMs: 400, reconnectDelayMaxMs: 400 } });
    const bob = await user('bob');
    const received = inbox(bob);
    const invitation = alice.createLocalInvitation('bob');
    const events = recordLocal(invitation);
    invitation.send();
    await waitFor(() => invitation.state === 'RECEIVED_BY_REMOTE');
    tap.drop();
    await waitFor(async () => (await server!.core.sessions.get(APP_ID, 'alice'))?.connected === false, 2000, 'caller gone');
    received[0]!.invitation.response = 'no';
    received[0]!.invitation.refuse();
    await waitFor(() => invitation.state === 'REFUSED_BY_REMOTE', 4000, 'refusal after reconnect');
    expect(events).toEqual(['ReceivedByPeer', 'Refused:no']);
  });
});

describe('call invitations: limits and convergence after a reconnect', () => {
  it('fails a send over the server\'s limits at once with LocalInvitationFailure(UNKNOWN); the callee never rings', async () => {
    await start({ limits: { openInvitationsPerSession: 2 } });
    const alice = await user('alice');
    const bob = await user('bob');
    const received = inbox(bob);
    const ringing = ['c1', 'c2'].map(() => alice.createLocalInvitation('bob'));
    for (const invitation of ringing) invitation.send();
    await waitFor(() => received.length === 2 && ringing.every((i) => i.state === 'RECEIVED_BY_REMOTE'), 3000, 'two ringing');
    const third = alice.createLocalInvitation('bob');
    const events = recordLocal(third);
    third.send();
    await waitFor(() => third.state === 'FAILURE', 2000, 'third refused');
    expect(events).toEqual(['Failure:UNKNOWN']);
    // One ends (once the server has the cancel, which the callee hears): its slot is free again.
    ringing[0]!.cancel();
    await waitFor(() => received[0]!.invitation.state === 'CANCELED', 2000, 'cancel reached the server');
    const fourth = alice.createLocalInvitation('bob');
    fourth.send();
    await waitFor(() => fourth.state === 'RECEIVED_BY_REMOTE', 2000, 'fourth rings');
    expect(received.map((r) => r.invitation.callId)).toEqual([ringing[0]!.callId, ringing[1]!.callId, fourth.callId]);
  });

  it('checks content against the server\'s limit, learned at login', async () => {
    await start({ limits: { invitationContentMaxBytes: 16_384 } });
    const alice = await user('alice');
    const bob = await user('bob');
    const received = inbox(bob);
    const invitation = alice.createLocalInvitation('bob');
    invitation.content = 'x'.repeat(12_000);
    invitation.send();
    await waitFor(() => received.length === 1, 2000, 'delivered');
    expect(received[0]!.invitation.content).toHaveLength(12_000);
    received[0]!.invitation.response = 'y'.repeat(12_000);
    received[0]!.invitation.accept();
    await waitFor(() => invitation.state === 'ACCEPTED_BY_REMOTE', 2000, 'accepted');
    const tooLong = alice.createLocalInvitation('bob');
    tooLong.content = 'x'.repeat(16_385);
    expect(() => tooLong.send()).toThrow(expect.objectContaining({ code: InvitationApiCallError.INVITATION_API_CALL_ERR_INVALID_ARGUMENT }));
  });

  it('asks after its invitations again, with a backoff, when the first ask after a reconnect is lost', async () => {
    await start();
    const tap = tappedTransport();
    let lost = 0;
    const losing: Transport = (options) => {
      const socket = tap.transport(options);
      const emit = socket.emit.bind(socket);
      return Object.assign(socket, {
        emit: (name: string, ...args: unknown[]) => {
          // The network loses the first sync on its way to the server: it times out.
          if (name === 'invitation:sync' && lost++ === 0) return socket;
          return emit(name, ...args);
        },
      });
    };
    const alice = await user('alice', {
      transport: losing,
      timing: { interruptionMs: 50, reconnectDelayMs: 200, reconnectDelayMaxMs: 400, requestTimeoutMs: 400 },
    });
    const bob = await user('bob');
    const received = inbox(bob);
    const invitation = alice.createLocalInvitation('bob');
    const events = recordLocal(invitation);
    invitation.send();
    await waitFor(() => invitation.state === 'RECEIVED_BY_REMOTE');
    tap.drop();
    await waitFor(async () => (await server!.core.sessions.get(APP_ID, 'alice'))?.connected === false, 2000, 'caller gone');
    received[0]!.invitation.response = 'no';
    received[0]!.invitation.refuse(); // decided while alice cannot hear it
    await waitFor(() => invitation.state === 'REFUSED_BY_REMOTE', 4000, 'refusal learned by a second sync');
    expect(lost).toBe(2);
    expect(events).toEqual(['ReceivedByPeer', 'Refused:no']);
  });
});

