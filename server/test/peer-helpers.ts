import { io, type Socket } from 'socket.io-client';
import type { Limits, ServerEventArgs, ServerEventName, SessionEndReason, Timing } from '@rtm-kit/protocol';
import { createCore, type Core, type Router, type SessionRecord } from '@rtm-kit/server/core';
import { MemoryStore } from '@rtm-kit/server';
import { createManualClock, type ManualClock } from '@rtm-kit/server/testing';

export const APP_ID = '0123456789abcdef0123456789abcdef';

/** One delivery the core asked for: to a session (`sess:<id>`) or a channel (`c:<id>`). */
export interface Delivery {
  readonly to: string;
  readonly except?: string;
  readonly event: string;
  readonly args: readonly unknown[];
}

/**
 * A Router that records what the core sends, for testing services without sockets. Sessions
 * acknowledge acked events unless listed in `silent`.
 */
export class RecordingRouter implements Router {
  readonly sent: Delivery[] = [];
  readonly rooms = new Map<string, Set<string>>();
  readonly silent = new Set<string>();

  toSession<E extends ServerEventName>(sessionId: string, event: E, ...args: ServerEventArgs<E>): void {
    this.sent.push({ to: `sess:${sessionId}`, event, args });
  }

  closeSession(sessionId: string, reason: SessionEndReason): void {
    this.sent.push({ to: `sess:${sessionId}`, event: 'session:ended', args: [{ reason }] });
  }

  async toSessionWithAck(sessionId: string, _timeoutMs: number, event: string, ...args: unknown[]): Promise<boolean> {
    this.sent.push({ to: `sess:${sessionId}`, event, args });
    return !this.silent.has(sessionId);
  }

  joinChannel(sessionId: string, _appId: string, channelId: string): void {
    let room = this.rooms.get(channelId);
    if (!room) this.rooms.set(channelId, (room = new Set()));
    room.add(sessionId);
  }

  leaveChannel(sessionId: string, _appId: string, channelId: string): void {
    this.rooms.get(channelId)?.delete(sessionId);
  }

  toChannel<E extends ServerEventName>(_appId: string, channelId: string, event: E, ...args: ServerEventArgs<E>): void {
    this.sent.push({ to: `c:${channelId}`, event, args });
  }

  toChannelExcept<E extends ServerEventName>(_appId: string, channelId: string, exceptSessionId: string, event: E, ...args: ServerEventArgs<E>): void {
    this.sent.push({ to: `c:${channelId}`, except: exceptSessionId, event, args });
  }

  watchStatus(): void {}

  unwatchStatus(): void {}

  toStatusWatchers<E extends ServerEventName>(_appId: string, uid: string, event: E, ...args: ServerEventArgs<E>): void {
    this.sent.push({ to: `s:${uid}`, event, args });
  }

  /** What was sent with `event`, oldest first. */
  take(event: string): Delivery[] {
    return this.sent.filter((d) => d.event === event);
  }

  clear(): void {
    this.sent.length = 0;
  }
}

/** A core over a memory store, a recording router and a manual clock. */
export function testCore(options: { limits?: Partial<Limits>; timing?: Partial<Timing>; store?: MemoryStore } = {}): {
  core: Core;
  router: RecordingRouter;
  clock: ManualClock;
  login(uid: string): Promise<SessionRecord>;
} {
  const router = new RecordingRouter();
  const clock = createManualClock(1_000_000);
  let n = 0;
  const core = createCore({
    store: options.store ?? new MemoryStore(),
    router,
    clock,
    tokens: { verify: () => ({ ok: true, expiresAt: null }) },
    limits: options.limits,
    timing: options.timing,
    newId: () => `id${++n}`,
  });
  return {
    core,
    router,
    clock,
    async login(uid) {
      const opened = await core.sessions.open({ v: 1, appId: APP_ID, uid, token: null, sessionId: null });
      if (!opened.ok) throw new Error(opened.error.message);
      return opened.session;
    },
  };
}

/** A raw socket.io connection logged in as `uid`, as a modified client would make it. */
export async function rawLogin(url: string, uid: string): Promise<{ socket: Socket; sessionId: string }> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { v: 1, appId: APP_ID, uid, token: null, sessionId: null } });
  const ready = await new Promise<{ sessionId: string }>((resolve, reject) => {
    socket.once('session:ready', resolve);
    socket.once('connect_error', reject);
  });
  return { socket, sessionId: ready.sessionId };
}

/** Send a request on a raw socket and return its acknowledgement envelope. */
export function ask(
  socket: Socket,
  event: string,
  payload: unknown,
  timeoutMs = 5_000,
): Promise<{ ok: boolean; data?: any; error?: { code: number; name: string; message: string } }> {
  return socket.timeout(timeoutMs).emitWithAck(event, payload);
}

/** A client message id of the right shape. */
export function mid(n: number | string): string {
  return `msg-${String(n).padStart(8, '0')}`;
}
