import type { Redis } from 'ioredis';
import {
  heldMessageBytes,
  type HeldPeerMessage,
  type OfflineHoldCaps,
  type OfflineHoldResult,
  type PeerStore,
} from '../../core/peer/peer-store.js';
import { decodeJson, encodeJson } from './codec.js';
import { segment, type RedisKeys } from './keys.js';
import { PEER_SCRIPTS } from './peer-lua.js';
import { defineScripts, TTL_SLACK_MS } from './scripts.js';

/** Expired mailboxes of one app a hold removes at most (the rest go with the next holds). */
const SWEEP_PER_HOLD = 64;
/** Other apps whose mailboxes expired that a hold sweeps at most. */
const APPS_PER_HOLD = 4;

/**
 * Mailboxes of held peer messages in Redis (see `peer-lua.ts` for the layout).
 *
 * Each hold, in one script, removes the app's mailboxes whose every message expired (found by
 * their expiry in a sorted set, oldest first, as the memory store walks its map), the receiver's
 * own expired messages, checks the byte quotas and appends. The byte tallies per sender and per
 * app are counters changed in the same scripts as the messages, so they stay exact.
 *
 * Mailboxes of other apps: every app with mailboxes is listed, by its earliest mailbox expiry, in
 * one key outside the apps' slots; after its own script a hold sweeps the few apps listed as due.
 * That list is only a hint, updated after the scripts: a stale entry costs one sweep that finds
 * nothing. Redis TTLs bound all of it anyway (every key expires after its newest message).
 */
export class RedisPeerStore implements PeerStore {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  readonly #scripts;

  constructor(redis: Redis, keys: RedisKeys) {
    this.#redis = redis;
    this.#keys = keys;
    this.#scripts = defineScripts(redis, 'peer', PEER_SCRIPTS);
  }

  async hold(appId: string, receiver: string, message: HeldPeerMessage, maxPerReceiver: number, now: number): Promise<number> {
    const result = await this.#put(appId, receiver, message, maxPerReceiver, now, null);
    return result.ok ? result.evicted : 0;
  }

  async holdOffline(appId: string, receiver: string, message: HeldPeerMessage, caps: OfflineHoldCaps, now: number): Promise<OfflineHoldResult> {
    return this.#put(appId, receiver, message, caps.maxPerReceiver, now, caps);
  }

  async deliverable(appId: string, receiver: string, sessionId: string, now: number, max: number): Promise<HeldPeerMessage[]> {
    const reply = (await this.#run('deliverable', appId, receiver, now, [sessionId, Math.max(0, max)])) as string[];
    return reply.filter((text) => text !== '').map((text) => decodeJson<HeldPeerMessage>(text));
  }

  async remove(appId: string, receiver: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return Number(await this.#run('remove', appId, receiver, 0, ids));
  }

  async dropForSession(appId: string, receiver: string, sessionId: string): Promise<void> {
    await this.#run('dropForSession', appId, receiver, 0, [sessionId]);
  }

  async #put(
    appId: string,
    receiver: string,
    message: HeldPeerMessage,
    maxPerReceiver: number,
    now: number,
    caps: OfflineHoldCaps | null,
  ): Promise<OfflineHoldResult> {
    const bytes = heldMessageBytes(message);
    const meta = { e: message.expiresAt, o: message.offline ? 1 : 0, b: bytes, s: message.sessionId ?? '', f: message.from };
    const reply = (await this.#run('hold', appId, receiver, now, [
      SWEEP_PER_HOLD,
      message.id,
      JSON.stringify(meta),
      encodeJson(message),
      maxPerReceiver,
      caps ? '1' : '',
      finite(caps?.maxSenderBytes),
      finite(caps?.maxAppBytes),
      message.expiresAt,
      message.offline ? '1' : '0',
      bytes,
      message.from,
    ])) as [number, number | string, string];
    await this.#sweepOtherApps(appId, reply[2], now);
    if (reply[0] === 1) return { ok: true, evicted: Number(reply[1]) };
    return { ok: false, over: reply[1] === 'sender' ? 'sender' : 'app' };
  }

  /** Lists the app by its earliest mailbox expiry, and sweeps the apps listed as due at `now`. */
  async #sweepOtherApps(appId: string, earliest: string, now: number): Promise<void> {
    const list = this.#keys.mailboxApps();
    const step = this.#redis.multi();
    if (earliest === '') step.zrem(list, appId);
    else step.zadd(list, earliest, appId);
    step.zrangebyscore(list, '-inf', now, 'LIMIT', 0, APPS_PER_HOLD);
    const replies = await step.exec();
    const due = (replies?.[1]?.[1] ?? []) as string[];
    for (const other of due) {
      const left = String(await this.#run('sweep', other, '', now, [SWEEP_PER_HOLD]));
      if (left === '') await this.#redis.zrem(list, other);
      else await this.#redis.zadd(list, left, other);
    }
  }

  #run(name: keyof typeof PEER_SCRIPTS, appId: string, receiver: string, now: number, args: ReadonlyArray<string | number>): Promise<unknown> {
    const k = this.#keys;
    return this.#scripts[name](
      [k.mailboxes(appId), k.senderBytes(appId), k.appBytes(appId), k.mailboxBytes(appId)],
      [k.mailboxBase(appId), now, TTL_SLACK_MS, segment(receiver), ...args],
    );
  }
}

/** Caps as Lua reads them: an unlimited cap is a very large number. */
function finite(cap: number | undefined): number {
  return cap === undefined || !Number.isFinite(cap) ? Number.MAX_SAFE_INTEGER : cap;
}
