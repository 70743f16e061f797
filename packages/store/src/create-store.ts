import type { ConnectionChangeReason, ConnectionState, RtmClient } from '@rtm-kit/client';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { resolveStoreOptions, type RtmStoreOptions, type Slice, type SliceContext } from './slice.js';
import { createChannelAttributesSlice } from './slices/channel-attributes.js';
import { createChannelsSlice } from './slices/channels.js';
import { createConnectionSlice } from './slices/connection.js';
import { createConversationsSlice } from './slices/conversations.js';
import { createInvitationsSlice } from './slices/invitations.js';
import { createMediaSlice } from './slices/media.js';
import { createMemberCountsSlice } from './slices/member-counts.js';
import { createPresenceSlice } from './slices/presence.js';
import { createUserAttributesSlice } from './slices/user-attributes.js';
import type { RtmState } from './state.js';

/** A zustand store over one client, plus the client and the switch that connects the two. */
export interface RtmStore extends StoreApi<RtmState> {
  readonly client: RtmClient;
  /**
   * Start following the client's events; returns the function that stops. Calls nest: the
   * store listens while at least one attachment is open. Creating a store has no side
   * effects, so a framework may create one during render and attach it in an effect.
   */
  attach(): () => void;
}

/**
 * Creates the store for a client. State changes only through the client's events and the
 * store's actions.
 *
 * @example
 * const client = AgoraRTM.createInstance(appId, { serverUrl });
 * const store = createRtmStore(client);
 * const detach = store.attach();
 * const logout = store.getState().acquireSession({ uid: 'alice' });
 * const leave = store.getState().acquireChannel('lobby');
 * store.subscribe((s) => console.log(s.channels['lobby']?.messages.length));
 */
export function createRtmStore(client: RtmClient, options?: RtmStoreOptions): RtmStore {
  const resolved = resolveStoreOptions(options);
  let seq = 0;
  let session = 0;
  let slices: Slice<object>[] = [];

  const store = createStore<RtmState>()((set, get) => {
    const ctx: SliceContext = {
      client,
      set,
      get,
      options: resolved,
      nextId: (prefix) => `${prefix}${++seq}`,
      catchUpIfDetached: () => {
        if (attachments === 0) catchUp();
      },
      session: () => session,
      dropSessionData: () => {
        session++;
        resetData();
      },
    };
    // The connection slice comes first: the others read the state it records.
    const parts = {
      connection: createConnectionSlice(ctx),
      channels: createChannelsSlice(ctx),
      conversations: createConversationsSlice(ctx),
      presence: createPresenceSlice(ctx),
      memberCounts: createMemberCountsSlice(ctx),
      channelAttributes: createChannelAttributesSlice(ctx),
      userAttributes: createUserAttributesSlice(ctx),
      invitations: createInvitationsSlice(ctx),
      media: createMediaSlice(ctx),
    };
    slices = Object.values(parts);
    return {
      ...parts.connection.state,
      ...parts.channels.state,
      ...parts.conversations.state,
      ...parts.presence.state,
      ...parts.memberCounts.state,
      ...parts.channelAttributes.state,
      ...parts.userAttributes.state,
      ...parts.invitations.state,
      ...parts.media.state,
    };
  });

  /** Every slice's data as after a logout. */
  function resetData(): void {
    const current = store.getState();
    let data = {};
    for (const slice of slices) data = { ...data, ...slice.reset?.(current) };
    store.setState(data);
  }

  const onConnection = (state: ConnectionState, reason: ConnectionChangeReason) => {
    const previous = store.getState().connection.state;
    // The client drops the session at logout and when it ends (§9.5): answers still on their
    // way belong to the session that ended.
    if (state === 'DISCONNECTED' || state === 'ABORTED') session++;
    for (const slice of slices) slice.connectionChanged?.(state, reason, previous);
    if (state === 'DISCONNECTED' && reason === 'LOGOUT') resetData();
  };

  /**
   * Replays a connection change the store missed while detached. A UI binding detaches when it
   * unmounts or is hidden, while the store's own deferred logout may still run: without this,
   * the previous user's data and "joined" channels would survive into the next session.
   */
  const catchUp = () => {
    const now = client.connectionState;
    if (now === store.getState().connection.state) return;
    // A DISCONNECTED the store missed counts as a logout whatever the client's reason, so the
    // session's data is dropped; any other state is replayed with the client's own reason.
    onConnection(now, now === 'DISCONNECTED' ? 'LOGOUT' : (client.connectionChangeReason ?? 'INTERRUPTED'));
  };

  let attachments = 0;
  let detachAll: (() => void) | null = null;

  return {
    ...store,
    client,
    attach() {
      if (attachments++ === 0) {
        const detachers = slices.map((slice) => slice.attach?.());
        client.on('ConnectionStateChanged', onConnection);
        catchUp();
        detachAll = () => {
          client.off('ConnectionStateChanged', onConnection);
          for (const detach of detachers) detach?.();
        };
      }
      let open = true;
      return () => {
        if (!open) return;
        open = false;
        if (--attachments === 0) {
          detachAll?.();
          detachAll = null;
        }
      };
    },
  };
}
