import { createRequire } from 'node:module';
import pino, { type DestinationStream, type Logger as Pino } from 'pino';
import type { FieldLogger, LogFields } from './log-event.js';
import { scrubText } from './scrub.js';

export interface ServerLoggerOptions {
  /** `trace` … `fatal`, or `silent`; default `LOG_LEVEL` or `info`. */
  readonly level?: string | undefined;
  /** Strings that must never appear in a line (certificates, the admin token). */
  readonly secrets?: () => readonly string[];
  /** Where lines go (tests); default stdout, pretty-printed in development when `pino-pretty` is installed. */
  readonly destination?: DestinationStream;
}

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

/**
 * Field names whose values are secrets wherever they appear in a line's fields, one or two levels
 * deep: login tokens, session IDs and resume secrets (either acts for a session), the admin token,
 * app certificates, and Authorization or Cookie headers.
 */
const SECRET_FIELDS = ['token', 'sessionId', 'resumeSecret', 'authorization', 'cookie', 'appCertificate', 'certificate', 'adminToken', 'secret'];
const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  ...SECRET_FIELDS.map((f) => `*.*.${f}`),
  'req.headers.authorization',
  'req.headers.cookie',
];

/**
 * The server's logger: pino, one JSON object per line (level, time, msg and fields such as
 * `requestId`, `connectionId`, `appId`), secrets redacted by field name and masked in messages and
 * error stacks. In development on a terminal, `pino-pretty` prints it readably if installed.
 */
export function createServerLogger(options: ServerLoggerOptions = {}): FieldLogger & { readonly pino: Pino } {
  const wanted = (options.level ?? process.env['LOG_LEVEL'] ?? 'info').toLowerCase();
  const level = LEVELS.has(wanted) ? wanted : 'info';
  const secrets = options.secrets ?? (() => []);
  const config = {
    level,
    base: { name: 'rtm-kit' },
    redact: { paths: REDACT_PATHS, censor: '***' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const log = options.destination ? pino(config, options.destination) : pino({ ...config, ...prettyTransport() });
  const scrub = (text: string) => scrubText(text, secrets());
  const detailFields = (detail: unknown): Record<string, unknown> => {
    if (detail === undefined) return {};
    if (detail instanceof Error) {
      return { err: { type: detail.name, message: scrub(detail.message), stack: scrub(detail.stack ?? '') } };
    }
    if (typeof detail === 'string') return { detail: scrub(detail) };
    return { detail };
  };
  if (wanted !== level) log.warn(`LOG_LEVEL "${wanted}" is not a level; logging at info`);
  return {
    pino: log,
    info: (message) => log.info(scrub(message)),
    warn: (message, detail) => log.warn(detailFields(detail), scrub(message)),
    error: (message, detail) => log.error(detailFields(detail), scrub(message)),
    fields: (lineLevel, fields: LogFields, message) => log[lineLevel]({ ...fields }, scrub(message)),
  };
}

/** pino-pretty as a transport, only in development on a terminal and only if it is installed. */
function prettyTransport(): { transport?: { target: string } } {
  if (process.env['NODE_ENV'] === 'production' || !process.stdout.isTTY) return {};
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return { transport: { target: 'pino-pretty' } };
  } catch {
    return {};
  }
}
