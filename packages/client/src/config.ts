import { DEFAULT_CLIENT_TIMING, type ClientTiming } from '@rtm-kit/protocol';
import { rtmError, type RtmError } from './errors.js';
import { socketIoTransport, type Transport } from './transport.js';

/** Which kinds of log lines the SDK prints (1.x `LogFilterType`). */
export interface LogFilterType {
  error: boolean;
  warn: boolean;
  info: boolean;
  track: boolean;
  debug: boolean;
}

export const LOG_FILTER_OFF: LogFilterType = Object.freeze({ error: false, warn: false, info: false, track: false, debug: false });
export const LOG_FILTER_ERROR: LogFilterType = Object.freeze({ ...LOG_FILTER_OFF, error: true });
export const LOG_FILTER_WARNING: LogFilterType = Object.freeze({ ...LOG_FILTER_ERROR, warn: true });
export const LOG_FILTER_INFO: LogFilterType = Object.freeze({ ...LOG_FILTER_WARNING, info: true });
export const LOG_FILTER_DEBUG: LogFilterType = Object.freeze({ error: true, warn: true, info: true, track: true, debug: true });

/**
 * `createInstance` configuration: the 1.x `RtmConfig` keys plus what a self-hosted server needs.
 */
export interface RtmConfig {
  /** Accepted for compatibility; a self-hosted server has nowhere to upload logs, so no effect. */
  enableLogUpload?: boolean;
  /** Default `AgoraRTM.LOG_FILTER_INFO`. */
  logFilter?: LogFilterType;
  /** Accepted for compatibility; no effect (there is no cloud proxy in front of your server). */
  enableCloudProxy?: boolean;
  /**
   * Where the rtm-kit server is. Default: the page's origin in a browser; `RTM_SERVER_URL` or
   * `http://127.0.0.1:8080` in Node.
   */
  serverUrl?: string;
  /** Replace the socket.io transport (in-process servers, custom socket options). */
  transport?: Transport;
  /** Override client timeouts (login 12 s, requests 10 s, interruption 4 s ...). */
  timing?: Partial<ClientTiming>;
}

/** @deprecated 1.0–1.4.0 name of `RtmConfig`. */
export type RtmParameters = RtmConfig;

const CONFIG_KEYS = new Set(['enableLogUpload', 'logFilter', 'enableCloudProxy', 'serverUrl', 'transport', 'timing']);

export interface ResolvedConfig {
  logFilter: LogFilterType;
  serverUrl: string;
  transport: Transport;
  timing: ClientTiming;
}

/**
 * Checks a configuration as the 1.x runtime does. Unknown keys are where the two entry points
 * differ, and both are kept so a 1.x app behaves the same: `createInstance` refuses them
 * (`RtmInvalidArgumentError`, CREATE_INSTANCE_ERR_INVALID_ARGUMENT, "Invalid RTM config: <keys>"),
 * while `updateConfig`/`setParameters` ignore them (an app passing a key this SDK does not know
 * keeps running) and keep the known ones. A known key with a value of the wrong type is refused
 * in both.
 *
 * @returns the keys that were ignored (for a warning), empty for `createInstance`.
 */
export function validateConfig(config: unknown, entry: 'createInstance' | 'updateConfig'): string[] {
  if (config === undefined || config === null) return [];
  if (typeof config !== 'object') throw invalidConfig('the config must be an object');
  const unknown = Object.keys(config).filter((k) => !CONFIG_KEYS.has(k));
  if (unknown.length > 0 && entry === 'createInstance') throw invalidConfig(unknown.join(', '));
  const c = config as RtmConfig;
  if (c.serverUrl !== undefined && typeof c.serverUrl !== 'string') throw invalidConfig('serverUrl must be a string');
  if (c.transport !== undefined && typeof c.transport !== 'function') throw invalidConfig('transport must be a function');
  if (c.logFilter !== undefined && (typeof c.logFilter !== 'object' || c.logFilter === null)) {
    throw invalidConfig('logFilter must be a LogFilterType');
  }
  if (c.timing !== undefined) {
    for (const [k, v] of Object.entries(c.timing)) {
      if (!Object.hasOwn(DEFAULT_CLIENT_TIMING, k) || typeof v !== 'number' || !(v >= 0)) throw invalidConfig(`timing.${k}`);
    }
  }
  return unknown;
}

function invalidConfig(detail: string): RtmError {
  return rtmError('CREATE_INSTANCE_ERR_INVALID_ARGUMENT', `Invalid RTM config: ${detail}`);
}

export function resolveConfig(config: RtmConfig | undefined): ResolvedConfig {
  return {
    logFilter: config?.logFilter ?? LOG_FILTER_INFO,
    serverUrl: config?.serverUrl ?? defaultServerUrl(),
    transport: config?.transport ?? socketIoTransport(),
    timing: { ...DEFAULT_CLIENT_TIMING, ...config?.timing },
  };
}

function defaultServerUrl(): string {
  const g = globalThis as { location?: { origin?: string }; process?: { env?: Record<string, string | undefined> } };
  if (typeof g.location?.origin === 'string' && g.location.origin.startsWith('http')) return g.location.origin;
  return g.process?.env?.['RTM_SERVER_URL'] ?? 'http://127.0.0.1:8080';
}

/** Console logging gated by the current log filter. */
export class Logger {
  filter: LogFilterType;

  constructor(filter: LogFilterType) {
    this.filter = filter;
  }

  info(message: string): void {
    if (this.filter.info) console.info(`[rtm-kit] ${message}`);
  }

  warn(message: string): void {
    if (this.filter.warn) console.warn(`[rtm-kit] ${message}`);
  }

  error(message: string, detail?: unknown): void {
    if (this.filter.error) console.error(`[rtm-kit] ${message}`, ...(detail === undefined ? [] : [detail]));
  }

  debug(message: string): void {
    if (this.filter.debug) console.debug(`[rtm-kit] ${message}`);
  }
}
