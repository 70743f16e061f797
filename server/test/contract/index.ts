import type { Store } from '@rtm-kit/server/core';
import { describeSessionStoreContract } from './session-store.contract.js';

/**
 * The contract every `Store` implementation passes: one suite per domain part. A new store
 * (Redis, or a user's own) runs `describeStoreContract(() => makeIt())`.
 */
export function describeStoreContract(makeStore: () => Promise<Store>): void {
  describeSessionStoreContract(makeStore);
}
