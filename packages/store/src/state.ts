import type { ChannelAttributesSlice } from './slices/channel-attributes.js';
import type { ChannelsSlice } from './slices/channels.js';
import type { ConnectionSlice } from './slices/connection.js';
import type { ConversationsSlice } from './slices/conversations.js';
import type { InvitationsSlice } from './slices/invitations.js';
import type { MediaSlice } from './slices/media.js';
import type { MemberCountsSlice } from './slices/member-counts.js';
import type { PresenceSlice } from './slices/presence.js';
import type { UserAttributesSlice } from './slices/user-attributes.js';

/**
 * Everything the store holds: plain data, replaced (never mutated) on every change so
 * selectors can compare by reference, and the actions that change it. Actions are stable
 * functions; selecting one never causes a re-render.
 */
export interface RtmState
  extends ConnectionSlice,
    ChannelsSlice,
    ConversationsSlice,
    PresenceSlice,
    MemberCountsSlice,
    ChannelAttributesSlice,
    UserAttributesSlice,
    InvitationsSlice,
    MediaSlice {}
