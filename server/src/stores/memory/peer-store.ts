import type { HeldPeerMessage, PeerStore } from '../../core/peer/peer-store.js';

/** Mailboxes of held peer messages, in this process (lost on restart: see `MemoryStore`). */
export class MemoryPeerStore implements PeerStore {
  readonly #boxes = new Map<string, HeldPeerMessage[]>();

  async hold(appId: string, receiver: string, message: HeldPeerMessage, maxPerReceiver: number): Promise<number> {
    const key = appId + receiver;
    const box = this.#boxes.get(key) ?? [];
    box.push(message);
    const evicted = Math.max(0, box.length - maxPerReceiver);
    if (evicted > 0) box.splice(0, evicted);
    if (box.length > 0) this.#boxes.set(key, box);
    return evicted;
  }

  async deliverable(appId: string, receiver: string, sessionId: string, now: number, max: number): Promise<HeldPeerMessage[]> {
    const key = appId + receiver;
    const box = this.#boxes.get(key);
    if (!box) return [];
    const kept = box.filter((m) => m.expiresAt > now && (m.sessionId === null || m.sessionId === sessionId));
    this.#set(key, kept);
    return kept.slice(0, max);
  }

  async remove(appId: string, receiver: string, ids: readonly string[]): Promise<number> {
    const key = appId + receiver;
    const box = this.#boxes.get(key);
    if (!box) return 0;
    const gone = new Set(ids);
    const kept = box.filter((m) => !gone.has(m.id));
    this.#set(key, kept);
    return box.length - kept.length;
  }

  async dropForSession(appId: string, receiver: string, sessionId: string): Promise<void> {
    const key = appId + receiver;
    const box = this.#boxes.get(key);
    if (box) this.#set(key, box.filter((m) => m.sessionId !== sessionId));
  }

  #set(key: string, box: HeldPeerMessage[]): void {
    if (box.length === 0) this.#boxes.delete(key);
    else this.#boxes.set(key, box);
  }
}
