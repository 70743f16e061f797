import { resolveLimits, resolveTiming, type Limits, type Timing } from '@rtm-kit/protocol';
import { AppRegistry, type AppConfig, type TokenVerifier } from './auth.js';
import type { Clock } from './clock.js';
import type { Router } from './router.js';
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
  return {
    apps,
    limits,
    timing,
    clock: options.clock,
    sessions,
    dispose() {
      sessions.dispose();
    },
  };
}
