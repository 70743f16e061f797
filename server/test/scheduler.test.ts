import { describe } from 'vitest';
import { systemClock, TimerScheduler } from '@rtm-kit/server/core';
import { describeSchedulerContract } from './contract/scheduler.contract.js';

describe('TimerScheduler', () => {
  describeSchedulerContract(async () => new TimerScheduler(systemClock));
});
