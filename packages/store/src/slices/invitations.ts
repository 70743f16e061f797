import type {
  LocalInvitationEvents,
  LocalInvitationFailureReason,
  LocalInvitationState,
  RemoteInvitationEvents,
  RemoteInvitationFailureReason,
  RemoteInvitationState,
} from '@rtm-kit/client';
import { KeyedListeners, listenTo } from '../listeners.js';
import type { LocalInvitation, RemoteInvitation } from '../rtm-api.js';
import { attempt, type Slice, type SliceContext } from '../slice.js';

/** A call this user placed (a 1.x `LocalInvitation`, spec §4.1), as a plain object. */
export interface OutgoingInvitation {
  readonly id: string;
  readonly calleeId: string;
  readonly content: string;
  readonly channelId: string;
  readonly state: LocalInvitationState;
  /** The callee's answer, once accepted or refused. */
  readonly response: string;
  /** Set when `state` is `FAILURE`. */
  readonly failureReason: LocalInvitationFailureReason | null;
}

/** A call this user received (a 1.x `RemoteInvitation`, spec §4.2), as a plain object. */
export interface IncomingInvitation {
  readonly id: string;
  readonly callerId: string;
  readonly content: string;
  readonly channelId: string;
  readonly state: RemoteInvitationState;
  /** This user's answer as sent with accept or refuse. */
  readonly response: string;
  /** Set when `state` is `FAILURE`. */
  readonly failureReason: RemoteInvitationFailureReason | null;
}

/** What to send with a call. */
export interface CallOptions {
  /** Up to 8 KB of text for the callee (spec §10.2). */
  content?: string;
  /** A channel id for the callee (Signaling interop); nobody joins it (spec §4.1). */
  channelId?: string;
}

export interface InvitationsSlice {
  readonly incomingInvitations: readonly IncomingInvitation[];
  readonly outgoingInvitations: readonly OutgoingInvitation[];
  /** Call a user. Rejects with the client's error for bad arguments (spec §4.1 `send`). */
  call(calleeId: string, options?: CallOptions): Promise<OutgoingInvitation>;
  /** Accept a received call; the state goes ACCEPT_SENT_TO_LOCAL, then ACCEPTED or FAILURE. */
  acceptInvitation(id: string, response?: string): Promise<void>;
  /** Refuse a received call. */
  refuseInvitation(id: string, response?: string): Promise<void>;
  /** Cancel a call this user placed. */
  cancelInvitation(id: string): Promise<void>;
  /** Remove an invitation from the lists (an ended one, typically). */
  dismissInvitation(id: string): void;
  /** Call `listener` whenever a call comes in. */
  onInvitationReceived(listener: (invitation: IncomingInvitation) => void): () => void;
}

const LOCAL_ENDED = new Set<LocalInvitationState>(['ACCEPTED_BY_REMOTE', 'REFUSED_BY_REMOTE', 'CANCELED', 'FAILURE']);
const REMOTE_ENDED = new Set<RemoteInvitationState>(['ACCEPTED', 'REFUSED', 'CANCELED', 'FAILURE']);

function missing(id: string): Error {
  return new Error(`No invitation "${id}" in this store.`);
}

/** Keeps live invitations and the newest `max` ended ones. */
function prune<T extends { state: string }>(list: readonly T[], ended: ReadonlySet<string>, max: number): readonly T[] {
  const endedCount = list.filter((i) => ended.has(i.state)).length;
  if (endedCount <= max) return list;
  let drop = endedCount - max;
  return list.filter((i) => !(ended.has(i.state) && drop-- > 0));
}

/** Detaches and drops the objects of invitations that `prune` removed from the list. */
function forget(objects: Map<string, { detach(): void }>, list: readonly { id: string }[]): void {
  if (objects.size <= list.length) return;
  const kept = new Set(list.map((i) => i.id));
  for (const [id, entry] of objects) {
    if (kept.has(id)) continue;
    entry.detach();
    objects.delete(id);
  }
}

/** The invitations slice: 1.x invitation objects mirrored as plain objects with their states. */
export function createInvitationsSlice(ctx: SliceContext): Slice<InvitationsSlice> {
  const { client } = ctx;
  const local = new Map<string, { invitation: LocalInvitation; detach(): void }>();
  const remote = new Map<string, { invitation: RemoteInvitation; detach(): void }>();
  const received = new KeyedListeners<'received', [IncomingInvitation]>();
  const max = ctx.options.maxEndedItems;

  function snapshotLocal(id: string, failureReason?: LocalInvitationFailureReason): void {
    const entry = local.get(id);
    if (entry === undefined) return;
    const { invitation } = entry;
    ctx.set((s) => {
      const previous = s.outgoingInvitations.find((i) => i.id === id);
      const next: OutgoingInvitation = {
        id,
        calleeId: invitation.calleeId,
        content: invitation.content,
        channelId: invitation.channelId,
        state: invitation.state,
        response: invitation.response,
        failureReason: failureReason ?? previous?.failureReason ?? null,
      };
      const list = previous === undefined ? [...s.outgoingInvitations, next] : s.outgoingInvitations.map((i) => (i.id === id ? next : i));
      return { outgoingInvitations: prune(list, LOCAL_ENDED, max) };
    });
    forget(local, ctx.get().outgoingInvitations);
  }

  function snapshotRemote(id: string, failureReason?: RemoteInvitationFailureReason): IncomingInvitation | undefined {
    const entry = remote.get(id);
    if (entry === undefined) return undefined;
    const { invitation } = entry;
    const next: IncomingInvitation = {
      id,
      callerId: invitation.callerId,
      content: invitation.content,
      channelId: invitation.channelId,
      state: invitation.state,
      response: invitation.response,
      failureReason: failureReason ?? ctx.get().incomingInvitations.find((i) => i.id === id)?.failureReason ?? null,
    };
    ctx.set((s) => {
      const exists = s.incomingInvitations.some((i) => i.id === id);
      const list = exists ? s.incomingInvitations.map((i) => (i.id === id ? next : i)) : [...s.incomingInvitations, next];
      return { incomingInvitations: prune(list, REMOTE_ENDED, max) };
    });
    forget(remote, ctx.get().incomingInvitations);
    return next;
  }

  function trackLocal(invitation: LocalInvitation): string {
    const id = ctx.nextId('call');
    const update = () => snapshotLocal(id);
    const onFailure = (reason: LocalInvitationFailureReason) => snapshotLocal(id, reason);
    const detach = listenTo<LocalInvitationEvents>(invitation, {
      LocalInvitationReceivedByPeer: update,
      LocalInvitationAccepted: update,
      LocalInvitationRefused: update,
      LocalInvitationCanceled: update,
      LocalInvitationFailure: onFailure,
    });
    local.set(id, { invitation, detach });
    return id;
  }

  function trackRemote(invitation: RemoteInvitation): string {
    const id = ctx.nextId('call');
    const update = () => snapshotRemote(id);
    const onFailure = (reason: RemoteInvitationFailureReason) => snapshotRemote(id, reason);
    const detach = listenTo<RemoteInvitationEvents>(invitation, {
      RemoteInvitationCanceled: update,
      RemoteInvitationRefused: update,
      RemoteInvitationAccepted: update,
      RemoteInvitationFailure: onFailure,
    });
    remote.set(id, { invitation, detach });
    return id;
  }

  function remoteOf(id: string): RemoteInvitation {
    const entry = remote.get(id);
    if (entry === undefined) throw missing(id);
    return entry.invitation;
  }

  return {
    state: {
      incomingInvitations: [],
      outgoingInvitations: [],
      call: (calleeId, options) =>
        attempt(() => {
          const invitation = client.createLocalInvitation(calleeId);
          if (options?.content !== undefined) invitation.content = options.content;
          if (options?.channelId !== undefined) invitation.channelId = options.channelId;
          const id = trackLocal(invitation);
          try {
            invitation.send();
          } catch (error) {
            local.get(id)?.detach();
            local.delete(id);
            throw error;
          }
          snapshotLocal(id);
          const placed = ctx.get().outgoingInvitations.find((i) => i.id === id);
          if (placed === undefined) throw missing(id);
          return placed;
        }),
      acceptInvitation: (id, response) =>
        attempt(() => {
          const invitation = remoteOf(id);
          if (response !== undefined) invitation.response = response;
          invitation.accept();
          snapshotRemote(id);
        }),
      refuseInvitation: (id, response) =>
        attempt(() => {
          const invitation = remoteOf(id);
          if (response !== undefined) invitation.response = response;
          invitation.refuse();
          snapshotRemote(id);
        }),
      cancelInvitation: (id) =>
        attempt(() => {
          const entry = local.get(id);
          if (entry === undefined) throw missing(id);
          entry.invitation.cancel();
          snapshotLocal(id);
        }),
      dismissInvitation(id) {
        local.get(id)?.detach();
        local.delete(id);
        remote.get(id)?.detach();
        remote.delete(id);
        ctx.set((s) => ({
          incomingInvitations: s.incomingInvitations.filter((i) => i.id !== id),
          outgoingInvitations: s.outgoingInvitations.filter((i) => i.id !== id),
        }));
      },
      onInvitationReceived: (listener) => received.add('received', listener),
    },
    attach() {
      const onReceived = (invitation: RemoteInvitation) => {
        const id = trackRemote(invitation);
        const snapshot = snapshotRemote(id);
        if (snapshot !== undefined) received.emit('received', snapshot);
      };
      client.on('RemoteInvitationReceived', onReceived);
      return () => client.off('RemoteInvitationReceived', onReceived);
    },
    reset() {
      for (const entry of local.values()) entry.detach();
      for (const entry of remote.values()) entry.detach();
      local.clear();
      remote.clear();
      return { incomingInvitations: [], outgoingInvitations: [] };
    },
  };
}
