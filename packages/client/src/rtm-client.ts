import type { ConnectionChangeReason, ConnectionState } from '@rtm-kit/protocol';
import { Logger, resolveConfig, validateConfig, type RtmConfig } from './config.js';
import { Connection } from './connection.js';
import { TypedEmitter } from './emitter.js';

/** Events of `RtmClient` (1.x `RtmEvents.RtmClientEvents`). */
export interface RtmClientEvents {
  [event: string]: (...args: never[]) => void;
  /** Every connection state change (§9.1). */
  ConnectionStateChanged: (newState: ConnectionState, reason: ConnectionChangeReason) => void;
  /** The token expired: while RECONNECTING, or when the server ended the session (ABORTED). */
  TokenExpired: () => void;
  /** The login token expires in 30 s; call `renewToken`. */
  TokenPrivilegeWillExpire: () => void;
  /** Never emitted: a self-hosted server has no fallback proxy. Declared for typing parity. */
  FallbackProxyConnected: () => void;
}

/**
 * The agora-rtm-sdk 1.x client, talking to an rtm-kit server. Create it with
 * `AgoraRTM.createInstance(appId, config)`.
 *
 * @example
 * const client = AgoraRTM.createInstance(appId, { serverUrl: 'http://127.0.0.1:8080' });
 * client.on('ConnectionStateChanged', (state, reason) => console.log(state, reason));
 * await client.login({ uid: 'alice' });
 */
export class RtmClient extends TypedEmitter<RtmClientEvents> {
  readonly appId: string;
  /** @internal shared with the domain modules */
  readonly connection: Connection;
  readonly #log: Logger;

  /** @internal use `AgoraRTM.createInstance` */
  constructor(appId: string, config?: RtmConfig) {
    super();
    validateConfig(config);
    this.appId = appId;
    const resolved = resolveConfig(config);
    this.#log = new Logger(resolved.logFilter);
    this.connection = new Connection(appId, resolved, this.#log, {
      stateChanged: (state, reason) => this.emit('ConnectionStateChanged', state, reason),
      tokenExpired: () => this.emit('TokenExpired'),
      tokenWillExpire: () => this.emit('TokenPrivilegeWillExpire'),
    });
  }

  /** The current connection state (undocumented in 1.x, present at runtime). */
  get connectionState(): ConnectionState {
    return this.connection.state;
  }

  /**
   * Log in as `uid`. Resolves once CONNECTED. For an app with a certificate, `token` is an
   * AccessToken2 made for this uid.
   */
  login(options: { uid: string; token?: string | null }): Promise<void> {
    if (typeof options !== 'object' || options === null) {
      return this.connection.login(undefined, undefined);
    }
    return this.connection.login(options.uid, options.token);
  }

  /** Log out, leaving every channel; listeners stay registered. */
  logout(): Promise<void> {
    return this.connection.logout();
  }

  /** Replace the login token before it expires (or after `TokenExpired` while RECONNECTING). */
  renewToken(token: string): Promise<void> {
    return this.connection.renewToken(token);
  }

  /** Change the configuration; takes effect at once (1.4.2+). */
  updateConfig(config: RtmConfig): void {
    validateConfig(config);
    if (config.logFilter) this.#log.filter = config.logFilter;
  }

  /** @deprecated since 1.4.2: use `updateConfig`. */
  setParameters(config: RtmConfig): void {
    this.updateConfig(config);
  }
}
