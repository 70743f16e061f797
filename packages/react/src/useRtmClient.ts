'use client';

import type { RtmClient } from '@rtm-kit/store';
import { useRtmContext } from './context.js';

/**
 * The provider's agora-rtm-sdk 1.x client, for anything the hooks do not cover.
 *
 * @example
 * const client = useRtmClient();
 * const online = await client.queryPeersOnlineStatus(['bob']);
 */
export function useRtmClient(): RtmClient {
  return useRtmContext('useRtmClient').client;
}
