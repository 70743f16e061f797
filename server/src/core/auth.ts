import type { ErrorCodeName } from '@rtm-kit/protocol';

export interface AppConfig {
  readonly appId: string;
  /** With a certificate, logins need an AccessToken2 made with it; without, no token is needed. */
  readonly appCertificate?: string;
}

export type TokenCheck =
  | { readonly ok: true; readonly expiresAt: number | null }
  | { readonly ok: false; readonly reason: 'invalid' | 'expired'; readonly message: string };

/**
 * Verifies login tokens. The Node server uses AccessToken2 through `agora-token`; an in-browser
 * server can use one that only knows token-less apps.
 */
export interface TokenVerifier {
  verify(app: AppConfig, uid: string, token: string, now: number): TokenCheck;
}

/** Apps and how logins to them are checked. */
export class AppRegistry {
  readonly #apps: ReadonlyMap<string, AppConfig> | null;

  /** `apps` undefined means development mode: any well-formed App ID, no token needed. */
  constructor(apps: readonly AppConfig[] | undefined) {
    this.#apps = apps ? new Map(apps.map((a) => [a.appId, a])) : null;
  }

  get developmentMode(): boolean {
    return this.#apps === null;
  }

  find(appId: string): AppConfig | null {
    if (this.#apps === null) return { appId };
    return this.#apps.get(appId) ?? null;
  }
}

export type LoginErrorName = Extract<ErrorCodeName, `LOGIN_ERR_${string}`>;
