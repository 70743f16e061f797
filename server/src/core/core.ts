import { resolveLimits, resolveTiming, type Limits, type Timing } from '@rtm-kit/protocol';
import { AppRegistry, type AppConfig, type TokenVerifier } from './auth.js';
import type { Clock } from './clock.js';
import type { Router } from './router.js';
import { ChannelAttributeService } from './attributes/channel-attribute-service.js';
import { UserAttributeService } from './attributes/user-attribute-service.js';
import { ChannelService } from './channels/channel-service.js';
import { InvitationService } from './invitations/invitation-service.js';
import { MessageRateLimiter } from './peer/message-rate.js';
import { PeerService } from './peer/peer-service.js';
import { SendLedger } from './peer/send-ledger.js';
import { SerialQueues } from './peer/serial-queue.js';
import { PresenceService } from './presence/presence-service.js';
import { SessionService } from './sessions/session-service.js';
import type { Store } from './store.js';

export interface CoreOptions {
  readonly store: Store;
  readonly router: Router;
  readonly clock: Clock;
  readonly tokens: TokenVerifier;
  readonly apps?: readonly AppConfig[] | undefined;
  readonly limits?: Partial<Limits> | undefined;
  readonly timing?: Partial<Timing> | undefined;
  readonly newId: () => string;
  readonly log?: ((level: 'warn' | 'error', message: string, detail?: unknown) => void) | undefined;
}

/**
 * The server's semantics, free of any transport: one service per domain over a shared store,
 * router and clock. The socket.io binding and the in-process transport both drive this object.
 */
export interface Core {
  readonly apps: AppRegistry;
  readonly limits: Limits;
  readonly timing: Timing;
  readonly clock: Clock;
  readonly sessions: SessionService;
  readonly peer: PeerService;
  readonly channels: ChannelService;
  readonly userAttributes: UserAttributeService;
  readonly channelAttributes: ChannelAttributeService;
  readonly presence: PresenceService;
  readonly invitations: InvitationService;
  dispose(): void;
}

export function createCore(options: CoreOptions): Core {
  const limits = resolveLimits(options.limits);
  const timing = resolveTiming(options.timing);
  const apps = new AppRegistry(options.apps);
  const log = options.log ?? (() => {});
  const sessions = new SessionService({
    store: options.store.sessions,
    router: options.router,
    clock: options.clock,
    apps,
    tokens: options.tokens,
    limits,
    timing,
    newId: options.newId,
    log,
  });
  // Peer and channel messages share one budget, one order per sender and one id ledger.
  const messaging = {
    ledger: new SendLedger(options.store.sendLedger, options.clock, log),
    rate: new MessageRateLimiter(limits),
    senders: new SerialQueues(),
  };
  const common = { sessions, router: options.router, clock: options.clock, limits, timing, log, ...messaging };
  const peer = new PeerService({ ...common, store: options.store.peer, newId: options.newId });
  const channels = new ChannelService({ ...common, store: options.store.channels });

  // Attributes, presence and invitations follow the session lifecycle; channel attributes also
  // follow channels emptying and filling up.
  const currentSession = (appId: string, uid: string) => sessions.get(appId, uid);
  const userAttributes = new UserAttributeService({ store: options.store.userAttributes, clock: options.clock, limits });
  const channelAttributes = new ChannelAttributeService({
    store: options.store.channelAttributes,
    router: options.router,
    clock: options.clock,
    limits,
    timing,
    occupancy: { memberCount: (appId, channelId) => channels.count(appId, channelId) },
    log,
  });
  const presence = new PresenceService({ store: options.store.presence, router: options.router, clock: options.clock, limits, currentSession });
  const invitations = new InvitationService({
    store: options.store.invitations,
    router: options.router,
    clock: options.clock,
    limits,
    timing,
    currentSession,
    log,
  });
  sessions.addListener(userAttributes);
  sessions.addListener(presence);
  sessions.addListener(invitations);
  channels.addListener({
    emptied: (appId, channelId) => channelAttributes.channelEmptied(appId, channelId),
    occupied: (appId, channelId) => channelAttributes.channelOccupied(appId, channelId),
  });
  return {
    apps,
    limits,
    timing,
    clock: options.clock,
    sessions,
    peer,
    channels,
    userAttributes,
    channelAttributes,
    presence,
    invitations,
    dispose() {
      sessions.dispose();
      channels.dispose();
      channelAttributes.dispose();
      invitations.dispose();
    },
  };
}
