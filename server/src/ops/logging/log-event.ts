import type { Logger } from '../../binding/requests.js';

/** Structured fields of a log line: request and connection ids, app ids, outcomes. */
export type LogFields = Readonly<Record<string, string | number | boolean | null>>;

/** A `Logger` that can also write fields of their own (the pino one does). */
export interface FieldLogger extends Logger {
  fields(level: 'debug' | 'info' | 'warn' | 'error', fields: LogFields, message: string): void;
}

/**
 * Writes a line with fields: as fields through a `FieldLogger`, or as `key=value` after the
 * message through any other `Logger` (a user's `{ info, warn, error }` keeps working). Debug
 * lines go only to a `FieldLogger`, whose level decides.
 */
export function logEvent(log: Logger, level: 'debug' | 'info' | 'warn' | 'error', fields: LogFields, message: string): void {
  if (isFieldLogger(log)) {
    log.fields(level, fields, message);
    return;
  }
  if (level === 'debug') return;
  const text = `${message} ${Object.entries(fields).map(([k, v]) => `${k}=${String(v)}`).join(' ')}`;
  if (level === 'info') log.info(text);
  else log[level](text);
}

function isFieldLogger(log: Logger): log is FieldLogger {
  return typeof (log as Partial<FieldLogger>).fields === 'function';
}
