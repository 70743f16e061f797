'use client';

import { useConnectionState, useInvitation, useRtmStoreApi, type IncomingInvitation, type RtmStore } from '@rtm-kit/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { incomingCall, isFinal, outgoingCall, type CallDirection, type CallFailureReason, type CallView } from './call-state.js';
import { useLatest } from './useLatest.js';

/**
 * Why a call ended: `declined` by the callee, `busy` (declined automatically because another
 * call was under way), `cancelled` by the caller, `failed` (see `failureReason`), or `ended`: an
 * accepted call whose `end()` the app called.
 */
export type CallEndReason = 'declined' | 'busy' | 'cancelled' | 'failed' | 'ended';

/** A call as the callbacks report it. */
export interface CallInfo {
  readonly id: string;
  readonly direction: CallDirection;
  readonly peerId: string;
  readonly channelId: string;
  readonly content: string;
  /** The callee's response. */
  readonly response: string;
}

export interface AcceptedCall extends CallInfo {
  /** Close the call's dialog now (a placed call's shows "accepted" until `autoCloseMs`), e.g. as the app's call screen takes over. */
  close(): void;
  /**
   * Tell the dialog that the app's session for this call is over (`onEnded` follows with reason
   * `ended`). Until then the user counts as busy in a call.
   */
  end(): void;
}

export interface EndedCall extends CallInfo {
  readonly reason: CallEndReason;
  readonly failureReason: CallFailureReason | null;
}

/**
 * Something to tell the user about a received call that closed without their doing: `missed`
 * (the caller cancelled or it expired), `busy` (answered busy automatically), `ended` (any
 * other end, e.g. the session moved to another device).
 */
export interface CallNotice {
  /** Grows with every notice, so the same text twice is still news. */
  readonly key: number;
  readonly kind: 'missed' | 'busy' | 'ended';
  readonly call: CallView;
}

export interface UseCallsOptions {
  /** Show a call that comes in during another one instead of declining it busy. Default false. */
  readonly allowConcurrent?: boolean;
  /** The response sent with the automatic busy decline. Default "busy". */
  readonly busyResponse?: string;
  /** The response sent with Accept. Default "". */
  readonly acceptResponse?: string;
  /** The response sent with Decline. Default "". */
  readonly declineResponse?: string;
  /** Close the dialog of a placed call this long after it ended; false keeps it. Default 3000. */
  readonly autoCloseMs?: number | false;
  /** A call was accepted (either way): start the media session, and `end()` it when it is over. */
  readonly onAccepted?: (call: AcceptedCall) => void;
  /** A call ended without being accepted, or an accepted call was `end()`ed. */
  readonly onEnded?: (call: EndedCall) => void;
  /**
   * Controlled: the ids of the calls whose dialog is open. Without it the dialogs open and close
   * by themselves; either way `onOpenChange` tells what they would do.
   */
  readonly open?: readonly string[];
  /** A call's dialog wants to open (a call started) or close (it ended, or the user closed it). */
  readonly onOpenChange?: (callId: string, open: boolean, call: CallView) => void;
}

export interface UseCallsResult {
  /** The calls whose dialog is open, oldest first. */
  readonly calls: readonly CallView[];
  /** The latest notice about a received call that closed by itself, for a live region. */
  readonly notice: CallNotice | null;
  /** Accept a received call (with `acceptResponse`). */
  accept(id: string): Promise<void>;
  /** Decline a received call (with `declineResponse`). */
  decline(id: string): Promise<void>;
  /** Cancel a placed call. */
  cancel(id: string): Promise<void>;
  /** Close a call's dialog (hides it; does not answer or cancel the call). */
  close(id: string): void;
  /** End an accepted call (see `AcceptedCall.end`). */
  end(id: string): void;
}

const LIVE_INCOMING: ReadonlySet<string> = new Set(['INVITATION_RECEIVED', 'ACCEPT_SENT_TO_LOCAL']);
const LIVE_OUTGOING: ReadonlySet<string> = new Set(['IDLE', 'SENT_TO_REMOTE', 'RECEIVED_BY_REMOTE']);
const EMPTY: ReadonlySet<string> = new Set();
const DEFAULT_AUTO_CLOSE_MS = 3_000;

/** Invitations that had ended before the dialog mounted: history, not calls to show. */
function endedBefore(store: RtmStore): ReadonlySet<string> {
  const s = store.getState();
  return new Set([
    ...s.incomingInvitations.filter((i) => !LIVE_INCOMING.has(i.state)).map((i) => i.id),
    ...s.outgoingInvitations.filter((i) => !LIVE_OUTGOING.has(i.state)).map((i) => i.id),
  ]);
}

function infoOf(call: CallView): CallInfo {
  const { id, direction, peerId, channelId, content, response } = call;
  return { id, direction, peerId, channelId, content, response };
}

function endReason(call: CallView): CallEndReason {
  return call.state === 'declined' ? 'declined' : call.state === 'cancelled' ? 'cancelled' : 'failed';
}

/**
 * The headless core of `CallDialog`: every call of this user, both ways, as `CallView`s with
 * one `state` each, which of them has an open dialog, and the actions. It answers a call that
 * comes in during another busy (unless `allowConcurrent`), reports each call once through
 * `onAccepted` / `onEnded`, and closes a placed call's dialog `autoCloseMs` after it ended. A
 * received call's dialog closes as soon as the call is no longer ringing: answered here,
 * cancelled by the caller, expired, or ended because this session ended (the same user logging
 * in elsewhere ends it with ABORTED/REMOTE_LOGIN, which fails its received calls).
 *
 * @example
 * const { calls, accept, decline } = useCalls({ onAccepted: (call) => joinMedia(call.channelId) });
 * return calls.map((call) => <MyCallCard key={call.id} call={call} onAccept={() => accept(call.id)} />);
 */
export function useCalls(options: UseCallsOptions = {}): UseCallsResult {
  const store = useRtmStoreApi();
  const latest = useLatest(options);
  const [ignored] = useState(() => endedBefore(store));
  const [closed, setClosed] = useState<ReadonlySet<string>>(EMPTY);
  const [notice, setNotice] = useState<CallNotice | null>(null);
  /** Calls already reported through onAccepted or onEnded. */
  const reported = useRef(new Set<string>());
  /** Accepted calls the app has not ended. */
  const ongoing = useRef(new Map<string, CallView>());
  /** Received calls this user declined (no notice for those). */
  const declinedHere = useRef(new Set<string>());
  const firstSeen = useRef(new Map<string, number>());
  const notices = useRef(0);

  const announce = useCallback((kind: CallNotice['kind'], call: CallView) => {
    setNotice({ key: ++notices.current, kind, call });
  }, []);

  const onReceived = useCallback(
    (invitation: IncomingInvitation) => {
      const { allowConcurrent = false, busyResponse = 'busy', onEnded } = latest.current;
      if (allowConcurrent) return;
      const s = store.getState();
      const acceptedUnreported = (id: string) => !ignored.has(id) && !reported.current.has(id);
      const busy =
        ongoing.current.size > 0 ||
        s.incomingInvitations.some((i) => i.id !== invitation.id && (LIVE_INCOMING.has(i.state) || (i.state === 'ACCEPTED' && acceptedUnreported(i.id)))) ||
        s.outgoingInvitations.some((i) => LIVE_OUTGOING.has(i.state) || (i.state === 'ACCEPTED_BY_REMOTE' && acceptedUnreported(i.id)));
      if (!busy) return;
      reported.current.add(invitation.id);
      // A failure here means the call ended meanwhile (e.g. the caller cancelled): nothing to answer.
      store.getState().refuseInvitation(invitation.id, busyResponse).catch(() => undefined);
      const call = incomingCall(invitation);
      onEnded?.({ ...infoOf(call), reason: 'busy', failureReason: null });
      announce('busy', call);
    },
    [store, latest, ignored, announce],
  );

  const { incoming, outgoing, accept, refuse, cancel } = useInvitation({ onReceived });
  const { state: connection } = useConnectionState();

  const all = useMemo(() => {
    const seen = firstSeen.current;
    const list = [...incoming.map(incomingCall), ...outgoing.map(outgoingCall)].filter((c) => !ignored.has(c.id));
    for (const call of list) if (!seen.has(call.id)) seen.set(call.id, seen.size);
    return list.sort((a, b) => (seen.get(a.id) ?? 0) - (seen.get(b.id) ?? 0));
  }, [incoming, outgoing, ignored]);

  // What the dialogs would show on their own: a received call while it rings (or connects), a
  // placed call until closed.
  const wanted = useMemo(
    () => all.filter((c) => !closed.has(c.id) && (c.direction === 'outgoing' || c.state === 'incoming' || c.state === 'connecting')),
    [all, closed],
  );
  const controlled = options.open;
  const calls = useMemo(() => (controlled === undefined ? wanted : all.filter((c) => controlled.includes(c.id))), [controlled, wanted, all]);

  const end = useCallback(
    (id: string) => {
      const call = ongoing.current.get(id);
      if (call === undefined) return;
      ongoing.current.delete(id);
      latest.current.onEnded?.({ ...infoOf(call), reason: 'ended', failureReason: null });
    },
    [latest],
  );

  // The dialogs that would be open by themselves, as last told through onOpenChange.
  const previouslyWanted = useRef(new Map<string, CallView>());
  const known = useLatest(all);

  const close = useCallback(
    (id: string) => {
      setClosed((previous) => (previous.has(id) ? previous : new Set([...previous, id])));
      // Told here rather than by the effect below, which would miss a dialog kept open by a
      // controlling app after it stopped wanting it (a received call that ended, for one).
      const wasWanted = previouslyWanted.current.delete(id);
      const call = known.current.find((c) => c.id === id);
      const { open, onOpenChange } = latest.current;
      if (call !== undefined && (wasWanted || open?.includes(id) === true)) onOpenChange?.(id, false, call);
    },
    [known, latest],
  );

  // Report each call once: accepted, or ended without being accepted.
  useEffect(() => {
    for (const call of all) {
      if (reported.current.has(call.id) || !isFinal(call.state)) continue;
      reported.current.add(call.id);
      if (call.state === 'accepted') {
        ongoing.current.set(call.id, call);
        latest.current.onAccepted?.({ ...infoOf(call), close: () => close(call.id), end: () => end(call.id) });
        continue;
      }
      latest.current.onEnded?.({ ...infoOf(call), reason: endReason(call), failureReason: call.failureReason });
      if (call.direction === 'incoming' && !declinedHere.current.has(call.id)) {
        const missed = call.state === 'cancelled' || call.failureReason === 'INVITATION_EXPIRE';
        announce(missed ? 'missed' : 'ended', call);
      }
    }
  }, [all, latest, end, close, announce]);

  // After a logout nothing of the previous session is under way any more.
  useEffect(() => {
    if (connection !== 'DISCONNECTED') return;
    for (const id of [...ongoing.current.keys()]) end(id);
  }, [connection, end]);

  // Placed calls close a moment after they ended; one timer per call, kept across re-renders.
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const autoCloseMs = options.autoCloseMs ?? DEFAULT_AUTO_CLOSE_MS;
  useEffect(() => {
    if (autoCloseMs === false) return;
    for (const call of wanted) {
      if (call.direction !== 'outgoing' || !isFinal(call.state) || timers.current.has(call.id)) continue;
      const timer = setTimeout(() => {
        timers.current.delete(call.id);
        close(call.id);
      }, autoCloseMs);
      timers.current.set(call.id, timer);
    }
  }, [wanted, autoCloseMs, close]);
  useEffect(() => {
    const running = timers.current;
    return () => {
      for (const timer of running.values()) clearTimeout(timer);
      running.clear();
    };
  }, [autoCloseMs]);

  // Tell the app (controlled or not) when a dialog would open or close.
  useEffect(() => {
    const previous = previouslyWanted.current;
    const next = new Map(wanted.map((c) => [c.id, c]));
    previouslyWanted.current = next;
    const onOpenChange = latest.current.onOpenChange;
    if (onOpenChange === undefined) return;
    for (const [id, call] of next) if (!previous.has(id)) onOpenChange(id, true, call);
    for (const [id, call] of previous) if (!next.has(id)) onOpenChange(id, false, all.find((c) => c.id === id) ?? call);
  }, [wanted, all, latest]);

  const actions = useMemo(
    () => ({
      accept: (id: string) => accept(id, latest.current.acceptResponse ?? ''),
      decline: (id: string) => {
        declinedHere.current.add(id);
        return refuse(id, latest.current.declineResponse ?? '');
      },
      cancel: (id: string) => cancel(id),
    }),
    [accept, refuse, cancel, latest],
  );

  return { calls, notice, ...actions, close, end };
}
