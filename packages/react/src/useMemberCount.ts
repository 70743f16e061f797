'use client';

import type { RtmState } from '@rtm-kit/store';
import { useHeldValues } from './useHeldValues.js';

const acquire = (s: RtmState, ids: readonly string[]) => s.acquireMemberCount(ids);
const counts = (s: RtmState) => s.memberCounts;

/**
 * Member counts of channels, joined or not. One shared poll (`getChannelMemberCount`, at most
 * once per second and 32 channels per call, spec §2.6) serves every component; joined channels
 * also update from MemberCountUpdated. A channel appears once its count is known.
 *
 * @example
 * const counts = useMemberCount(['lobby', 'support']);
 * return <span>{counts['lobby'] ?? '…'} in the lobby</span>;
 */
export function useMemberCount(channelIds: string | readonly string[]): Record<string, number> {
  return useHeldValues('useMemberCount', channelIds, acquire, counts);
}
