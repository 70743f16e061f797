'use client';

import type { usePeerStatus } from '@rtm-kit/react';
import { useStrings, type RtmStrings } from '../strings.js';
import { cx } from './internal.js';

/** A peer's online state as the 1.x API reports it (`ONLINE`, `UNREACHABLE`, `OFFLINE`). */
export type PeerOnlineState = ReturnType<typeof usePeerStatus>[string];

/** The dot's `data-state`. */
export type PresenceState = 'online' | 'offline' | 'unreachable' | 'unknown';

export function presenceStateOf(state: PeerOnlineState | undefined): PresenceState {
  switch (state) {
    case 'ONLINE':
      return 'online';
    case 'OFFLINE':
      return 'offline';
    case 'UNREACHABLE':
      return 'unreachable';
    case undefined:
      return 'unknown';
    default: {
      const unknown: never = state;
      return unknown;
    }
  }
}

export function presenceLabel(state: PresenceState, strings: RtmStrings): string {
  switch (state) {
    case 'online':
      return strings.presenceOnline;
    case 'offline':
      return strings.presenceOffline;
    case 'unreachable':
      return strings.presenceUnreachable;
    case 'unknown':
      return strings.presenceUnknown;
    default: {
      const unknown: never = state;
      return unknown;
    }
  }
}

export interface PresenceDotProps {
  /** The 1.x state, or undefined while it is not known yet. */
  readonly state: PeerOnlineState | undefined;
  /** Show the word next to the dot (otherwise the dot is an image named by the word). */
  readonly withLabel?: boolean | undefined;
  readonly className?: string | undefined;
}

/**
 * A peer's online status as a coloured dot (`data-state`: online, offline, unreachable, unknown),
 * never by colour alone: the word is its accessible name, or shown beside it with `withLabel`.
 *
 * @example
 * const status = usePeerStatus(['bob']);
 * <PresenceDot state={status['bob']} withLabel />
 */
export function PresenceDot({ state, withLabel = false, className }: PresenceDotProps) {
  const strings = useStrings();
  const presence = presenceStateOf(state);
  const label = presenceLabel(presence, strings);
  return withLabel ? (
    <span className={cx('rtm-chat-presence', className)} data-state={presence}>
      <span className="rtm-chat-presence-dot" aria-hidden="true" />
      <span className="rtm-chat-presence-label">{label}</span>
    </span>
  ) : (
    <span className={cx('rtm-chat-presence', className)} data-state={presence} role="img" aria-label={label} title={label}>
      <span className="rtm-chat-presence-dot" aria-hidden="true" />
    </span>
  );
}
