import { RtmError, type ConnectionChangeReason, type ConnectionState } from '@rtm-kit/client';
import type { RtmClient } from './rtm-api.js';
import type { RtmState } from './state.js';

/** Store options; every field has a default. */
export interface RtmStoreOptions {
  /**
   * How long a released join or subscription lingers before it is undone, so a holder that
   * comes straight back (Strict Mode, a route change) costs nothing. Default 100 ms.
   */
  releaseDelayMs?: number;
  /** Messages kept per channel and per peer conversation; older ones are dropped. Default 1000. */
  maxMessages?: number;
  /**
   * How often member counts of watched channels are polled. The API allows one
   * `getChannelMemberCount` call per second (spec §10.5). Default 5000 ms.
   */
  memberCountIntervalMs?: number;
  /** Ended invitations and media transfers kept for display (the newest); live ones always stay. Default 50. */
  maxEndedItems?: number;
}

export type ResolvedStoreOptions = Required<RtmStoreOptions>;

export function resolveStoreOptions(options: RtmStoreOptions | undefined): ResolvedStoreOptions {
  return {
    releaseDelayMs: options?.releaseDelayMs ?? 100,
    maxMessages: options?.maxMessages ?? 1000,
    memberCountIntervalMs: options?.memberCountIntervalMs ?? 5000,
    maxEndedItems: options?.maxEndedItems ?? 50,
  };
}

type SetState = (partial: Partial<RtmState> | ((state: RtmState) => Partial<RtmState>)) => void;

/** What every slice is built with. */
export interface SliceContext {
  readonly client: RtmClient;
  readonly set: SetState;
  readonly get: () => RtmState;
  readonly options: ResolvedStoreOptions;
  /** A store-unique id such as `m12`. */
  nextId(prefix: string): string;
  /**
   * Records the client's connection state if the store is not attached (and so missed the
   * change): a logout the store ran itself then clears the session's data at once.
   */
  catchUpIfDetached(): void;
  /**
   * The number of the session the store's data belongs to. It changes whenever that data is
   * dropped: at every DISCONNECTED or ABORTED, and when the store starts logging a user out.
   * A call that straddles a change says nothing about the new session: compare the number
   * taken before the call with the one after it, and drop the answer (or error) if they differ.
   */
  session(): number;
  /**
   * Drops the session's data now, ahead of a logout the store starts (a user switch): the
   * previous user's data must not stay visible while the logout is acknowledged.
   */
  dropSessionData(): void;
}

/** A slice: its part of the state (data and actions) and how it follows the client. */
export interface Slice<T> {
  readonly state: T;
  /** Register the slice's client listeners; returns the function that removes them. */
  attach?(): () => void;
  /** Runs after every connection state change, once the connection slice has recorded it. */
  connectionChanged?(state: ConnectionState, reason: ConnectionChangeReason, previous: ConnectionState): void;
  /** The slice's data after a logout (session data belongs to the user who logged out). */
  reset?(state: RtmState): Partial<RtmState>;
}

/** Whatever a client call threw, as an `RtmError` the UI can show. */
export function toRtmError(error: unknown): RtmError {
  if (error instanceof RtmError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RtmError(message);
}

/** Appends to a list, keeping at most `max` items (the newest). */
export function appendCapped<T>(list: readonly T[], item: T, max: number): readonly T[] {
  const next = [...list, item];
  return next.length > max ? next.slice(next.length - max) : next;
}

/** Runs a client call that may throw synchronously (1.x factories and invitation methods). */
export async function attempt<T>(fn: () => T | Promise<T>): Promise<T> {
  return fn();
}
