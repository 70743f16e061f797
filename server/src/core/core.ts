import { resolveLimits, resolveTiming, type Limits, type Timing } from '@rtm-kit/protocol';
import { limitsOverWireBounds } from '@rtm-kit/protocol/schemas';
import { AppRegistry, type AppConfig, type TokenVerifier } from './auth.js';
import type { Clock } from './clock.js';
import type { Router } from './router.js';
import { TimerScheduler, type Scheduler } from './scheduler.js';
import { ChannelAttributeService } from './attributes/channel-attribute-service.js';
import { UserAttributeService } from './attributes/user-attribute-service.js';
import { ChannelService } from './channels/channel-service.js';
import { InvitationService } from './invitations/invitation-service.js';
import { newMediaId, sameSecret } from './media/media-ids.js';
import { MediaService } from './media/media-service.js';
import type { MediaStorage } from './media/media-storage.js';
import { MessageRateLimiter } from './messaging/message-rate.js';
import { PeerService } from './peer/peer-service.js';
import { SendLedger } from './messaging/send-ledger.js';
import { SerialQueues } from './messaging/serial-queue.js';
import { PresenceService } from './presence/presence-service.js';
import { SessionService } from './sessions/session-service.js';
import type { Store } from './store.js';
import type { CoreLog, ServiceContext } from './context.js';

export interface CoreOptions {
  readonly store: Store;
  readonly router: Router;
  readonly clock: Clock;
  /**
   * Where deadlines wait. Default: timers of this process (`TimerScheduler`); a fleet passes one
   * every node polls (the Redis store's), so a deadline fires even if its node is gone.
   */
  readonly scheduler?: Scheduler | undefined;
  readonly tokens: TokenVerifier;
  readonly apps?: readonly AppConfig[] | undefined;
  readonly limits?: Partial<Limits> | undefined;
  readonly timing?: Partial<Timing> | undefined;
  readonly newId: () => string;
  readonly log?: (CoreLog) | undefined;
  /**
   * Where uploaded files live (file and image messages). Without it the core has no media
   * service (`core.media` is null). The host calls `core.media.start()` before serving and
   * `core.media.dispose()` after, which also closes the storage.
   */
  readonly media?: MediaCoreOptions | undefined;
}

export interface MediaCoreOptions {
  readonly storage: MediaStorage;
  /** Unguessable IDs matching `MEDIA_ID_PATTERN`; default 192 random bits from Web Crypto. */
  readonly newId?: (() => string) | undefined;
  /** Compares two secrets in constant time; default a JavaScript loop whose time depends only on the lengths. */
  readonly sameSecret?: ((a: string, b: string) => boolean) | undefined;
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
  readonly scheduler: Scheduler;
  readonly sessions: SessionService;
  readonly peer: PeerService;
  readonly channels: ChannelService;
  readonly userAttributes: UserAttributeService;
  readonly channelAttributes: ChannelAttributeService;
  readonly presence: PresenceService;
  readonly invitations: InvitationService;
  /** File and image transfers; null when `createCore` was given no media storage. */
  readonly media: MediaService | null;
  dispose(): void;
}

export function createCore(options: CoreOptions): Core {
  const limits = resolveLimits(options.limits);
  // A limit above what a request can carry (the schemas' wire bounds) could never be reached.
  const unreachable = limitsOverWireBounds(limits);
  if (unreachable.length > 0) throw new RangeError(`${unreachable.join('; ')}.`);
  const timing = resolveTiming(options.timing);
  const apps = new AppRegistry(options.apps);
  const log = options.log ?? (() => {});
  const scheduler = options.scheduler ?? new TimerScheduler(options.clock, log);
  const context: ServiceContext = { router: options.router, clock: options.clock, scheduler, rateLimits: options.store.rateLimits, limits, timing, log };
  const sessions = new SessionService({ ...context, store: options.store.sessions, apps, tokens: options.tokens, newId: options.newId });
  // Peer and channel messages share one budget, one order per sender and one id ledger.
  const messaging = {
    ledger: new SendLedger(options.store.sendLedger, options.clock, log),
    rate: new MessageRateLimiter(options.store.rateLimits, limits),
    senders: new SerialQueues(),
  };
  const common = { ...context, sessions, ...messaging };
  const peer = new PeerService({ ...common, store: options.store.peer, newId: options.newId });
  const channels = new ChannelService({ ...common, store: options.store.channels });

  // Attributes, presence and invitations follow the session lifecycle; channel attributes also
  // follow channels emptying and filling up.
  const currentSession = (appId: string, uid: string) => sessions.get(appId, uid);
  const userAttributes = new UserAttributeService({ ...context, store: options.store.userAttributes });
  const channelAttributes = new ChannelAttributeService({
    ...context,
    store: options.store.channelAttributes,
    occupancy: { memberCount: (appId, channelId) => channels.count(appId, channelId) },
  });
  const presence = new PresenceService({ ...context, store: options.store.presence, currentSession });
  const invitations = new InvitationService({ ...context, store: options.store.invitations, currentSession });
  const media = options.media
    ? new MediaService({
        ...context,
        storage: options.media.storage,
        slots: options.store.mediaSlots,
        sessions,
        newId: options.media.newId ?? newMediaId,
        sameSecret: options.media.sameSecret ?? sameSecret,
      })
    : null;
  sessions.addListener(userAttributes);
  sessions.addListener(presence);
  sessions.addListener(invitations);
  if (media) sessions.addListener(media);
  channels.addListener({
    emptied: (appId, channelId) => channelAttributes.channelEmptied(appId, channelId),
    occupied: (appId, channelId) => channelAttributes.channelOccupied(appId, channelId),
  });
  return {
    apps,
    limits,
    timing,
    clock: options.clock,
    scheduler,
    sessions,
    peer,
    channels,
    userAttributes,
    channelAttributes,
    presence,
    invitations,
    media,
    dispose() {
      scheduler.dispose();
      channels.dispose();
    },
  };
}
