/**
 * Which channel messages (by `seq`) a member has had, so each is delivered once however it
 * arrives: live, replayed after a resume, or live out of order.
 *
 * Out of order happens on a fleet: two nodes hand out seq 5 and 6 at the same moment and each
 * publishes its own, so 6 may arrive before 5. Dropping everything at or below the highest seq
 * seen would lose 5; this keeps the seqs seen above `floor` (everything at or below it was had),
 * delivers 5 when it comes, and moves `floor` up over every run without holes.
 *
 * The member's own messages are never sent back to it; the answer to its send carries their seq,
 * which is taken here like any other. Holes that never fill are messages lost for good (sent while
 * it was away and no longer in the replay buffer) and own messages whose answer was lost to a
 * reconnect. Above `MAX_HELD` seqs held, the oldest hole is given up on, so the window stays
 * small; a resume asks for what came after `floor`, which replays the holes still open (the server
 * keeps the last 30 s).
 */
const MAX_HELD = 256;

export class SeqWindow {
  /** Every seq at or below this one was delivered or given up on. */
  floor: number;
  readonly #seen = new Set<number>();

  constructor(floor: number) {
    this.floor = floor;
  }

  /** Record `seq`; false when it was had already (drop the message). */
  take(seq: number): boolean {
    if (seq <= this.floor || this.#seen.has(seq)) return false;
    this.#seen.add(seq);
    this.#advance();
    if (this.#seen.size > MAX_HELD) {
      this.floor = Math.min(...this.#seen) - 1;
      this.#advance();
    }
    return true;
  }

  #advance(): void {
    for (let i = 0; i <= MAX_HELD + 1 && this.#seen.has(this.floor + 1); i++) {
      this.#seen.delete(this.floor + 1);
      this.floor += 1;
    }
  }
}
