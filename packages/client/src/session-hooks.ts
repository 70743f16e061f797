import type { ConnectionChangeReason, ConnectionState, SessionEndReason } from '@rtm-kit/protocol';
import type { Logger } from './config.js';

export interface ConnectionEvents {
  stateChanged(state: ConnectionState, reason: ConnectionChangeReason): void;
  tokenExpired(): void;
  tokenWillExpire(): void;
}

/** What a new connection's `session:ready` told the domains. */
export interface ReadyInfo {
  readonly resumed: boolean;
  /** The login's first connection (not a reconnect). */
  readonly initial: boolean;
  /** False only when the server said it holds no peer messages for this connection. */
  readonly heldPeerMessages: boolean;
}

/**
 * What domains (channels, presence, attributes ...) do around the session. `ready` runs before
 * the client reports CONNECTED after a reconnect, so an app that sees CONNECTED finds its
 * channels joined again; `closed` runs at logout and when the server ends the session.
 */
export interface SessionHooks {
  ready?(info: ReadyInfo): void | Promise<void>;
  closed?(reason: 'LOGOUT' | SessionEndReason): void;
}

/** The domains' hooks, run in order of registration; one hook's failure does not stop the others. */
export class SessionHookList {
  readonly #hooks: SessionHooks[] = [];
  readonly #log: Logger;

  constructor(log: Logger) {
    this.#log = log;
  }

  add(hooks: SessionHooks): void {
    this.#hooks.push(hooks);
  }

  async ready(info: ReadyInfo): Promise<void> {
    await Promise.all(
      this.#hooks.map(async (h) => {
        try {
          await h.ready?.(info);
        } catch (error) {
          this.#log.error('restoring state after reconnecting failed', error);
        }
      }),
    );
  }

  closed(reason: 'LOGOUT' | SessionEndReason): void {
    for (const h of this.#hooks) {
      try {
        h.closed?.(reason);
      } catch (error) {
        this.#log.error('clearing session state failed', error);
      }
    }
  }
}
