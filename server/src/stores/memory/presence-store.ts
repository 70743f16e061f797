import type { PeerOnlineState, PresenceChange, PresenceSnapshot } from '@rtm-kit/protocol';
import type { AddSubscriptionsResult, PresenceStep, PresenceStore } from '../../core/presence/store.js';
import { appKey } from './keys.js';

interface PresenceEntry {
  readonly sessionId: string;
  readonly rank: number;
  readonly state: PeerOnlineState;
}

/**
 * Online statuses and status subscriptions of this process.
 *
 * Status versions come from one counter for every app: it still increases with every change of
 * each app, which is all the ordering of snapshots and changes needs, and unlike a counter per
 * app it keeps no state for an app whose users are gone (in development mode any App ID logs in,
 * so per-app counters would grow with every App ID a client makes up).
 */
export class MemoryPresenceStore implements PresenceStore {
  /** Only users with a session; everyone else is OFFLINE. */
  readonly #entries = new Map<string, PresenceEntry>();
  #version = 0;
  readonly #subscriptions = new Map<string, Set<string>>();

  async recordPresence(appId: string, uid: string, step: PresenceStep): Promise<PresenceChange | null> {
    const key = appKey(appId, uid);
    const entry = this.#entries.get(key);
    const before: PeerOnlineState = entry?.state ?? 'OFFLINE';
    let after: PeerOnlineState;
    switch (step.kind) {
      case 'start':
        this.#entries.set(key, { sessionId: step.sessionId, rank: step.rank, state: 'ONLINE' });
        after = 'ONLINE';
        break;
      case 'connection':
        if (!entry || entry.sessionId !== step.sessionId || entry.rank >= step.rank) return null;
        this.#entries.set(key, { sessionId: step.sessionId, rank: step.rank, state: step.state });
        after = step.state;
        break;
      case 'end':
        if (!entry || entry.sessionId !== step.sessionId) return null;
        this.#entries.delete(key);
        after = 'OFFLINE';
        break;
      default: {
        const unknown: never = step;
        throw new Error(`unknown presence step ${String(unknown)}`);
      }
    }
    if (after === before) return null;
    this.#version += 1;
    return { uid, state: after, version: this.#version };
  }

  async presenceSnapshot(appId: string, uids: readonly string[]): Promise<PresenceSnapshot> {
    return {
      version: this.#version,
      peers: uids.map((uid) => ({ uid, state: this.#entries.get(appKey(appId, uid))?.state ?? 'OFFLINE' })),
    };
  }

  async addSubscriptions(appId: string, sessionId: string, peers: readonly string[], max: number): Promise<AddSubscriptionsResult> {
    const key = appKey(appId, sessionId);
    const current = this.#subscriptions.get(key) ?? new Set<string>();
    const added = peers.filter((uid) => !current.has(uid));
    if (current.size + new Set(added).size > max) return { ok: false, reason: 'OVERFLOW' };
    for (const uid of added) current.add(uid);
    if (current.size > 0) this.#subscriptions.set(key, current);
    return { ok: true, added: [...new Set(added)] };
  }

  async removeSubscriptions(appId: string, sessionId: string, peers: readonly string[]): Promise<string[]> {
    const key = appKey(appId, sessionId);
    const current = this.#subscriptions.get(key);
    if (!current) return [];
    const removed = [...new Set(peers)].filter((uid) => current.delete(uid));
    if (current.size === 0) this.#subscriptions.delete(key);
    return removed;
  }

  async replaceSubscriptions(appId: string, sessionId: string, peers: readonly string[]): Promise<string[]> {
    const key = appKey(appId, sessionId);
    const next = new Set(peers);
    const dropped = [...(this.#subscriptions.get(key) ?? [])].filter((uid) => !next.has(uid));
    if (next.size === 0) this.#subscriptions.delete(key);
    else this.#subscriptions.set(key, next);
    return dropped;
  }

  async listSubscriptions(appId: string, sessionId: string): Promise<string[]> {
    return [...(this.#subscriptions.get(appKey(appId, sessionId)) ?? [])];
  }

  async clearSubscriptions(appId: string, sessionId: string): Promise<void> {
    this.#subscriptions.delete(appKey(appId, sessionId));
  }

  /** Users with a status plus sessions with subscriptions (`MemoryStore.entryCounts`). */
  entryCount(): number {
    return this.#entries.size + this.#subscriptions.size;
  }
}
