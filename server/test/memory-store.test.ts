import { describe } from 'vitest';
import { MemoryStore } from '@rtm-kit/server';
import { describeStoreContract } from './contract/index.js';

describe('MemoryStore', () => {
  describeStoreContract(async () => new MemoryStore());
});
