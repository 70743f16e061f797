import type { Store } from '@rtm-kit/server/core';
import { describeAttributeStoreContract } from './attributes-store.contract.js';
import { describeChannelStoreContract } from './channel-store.contract.js';
import { describeInvitationStoreContract } from './invitation-store.contract.js';
import { describeMediaSlotStoreContract } from './media-slot-store.contract.js';
import { describePeerStoreContract } from './peer-store.contract.js';
import { describePresenceStoreContract } from './presence-store.contract.js';
import { describeRateLimitStoreContract } from './rate-limit-store.contract.js';
import { describeSessionStoreContract } from './session-store.contract.js';

/**
 * The contract every `Store` implementation passes: one suite per domain part. A new store
 * (Redis, or a user's own) runs `describeStoreContract(() => makeIt())`.
 */
export function describeStoreContract(makeStore: () => Promise<Store>): void {
  describeSessionStoreContract(makeStore);
  describePeerStoreContract(makeStore);
  describeChannelStoreContract(makeStore);
  describeAttributeStoreContract(makeStore);
  describePresenceStoreContract(makeStore);
  describeInvitationStoreContract(makeStore);
  describeRateLimitStoreContract(makeStore);
  describeMediaSlotStoreContract(makeStore);
}
