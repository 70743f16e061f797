// Types of fuzz.mjs for the TypeScript tests that drive it.

export declare const PROPERTIES: readonly ['requests', 'handshakes', 'http'];
export type PropertyName = (typeof PROPERTIES)[number];

/** A bystander's peer message must arrive within this, whatever the attackers do. */
export declare const PROBE_BOUND_MS: number;
/** How far the heap may stay above its baseline once the attackers are gone. */
export declare const HEAP_SLACK: { readonly bytes: number; readonly ratio: number };

export interface HeapReport {
  readonly heapUsed: number;
  readonly rss: number;
  readonly external: number;
  readonly tcp: number;
  readonly timers: number;
  readonly maxLoopDelayMs: number;
  readonly collected: boolean;
}

export interface PropertyResult {
  readonly name: string;
  readonly seed: number;
  /** Cases run (fewer than asked when the time limit stopped the property). */
  readonly runs: number;
  readonly failed: boolean;
  readonly interrupted: boolean;
  /** One line when it passed; the failing case, what broke and how to replay it when it failed. */
  readonly report: string;
  readonly stats: Record<string, unknown>;
  readonly ms: number;
}

export interface ResilienceResult {
  readonly problems: string[];
  readonly figures: Record<string, unknown>;
}

export declare class Fuzz {
  constructor(options: { seed: number });
  readonly seed: number;
  readonly baseline: HeapReport | null;
  /** Starts the server child and the bystanders, warms up, takes the heap baseline, starts probing. */
  start(options?: { warmUpRuns?: number; probeIntervalMs?: number }): Promise<void>;
  /** Runs one property from the fuzz seed. */
  run(name: PropertyName, options: { runs: number; timeLimitMs?: number; path?: string }): Promise<PropertyResult>;
  /** After the properties: bystanders' record, who is still online, and the heap against its baseline. */
  resilience(): Promise<ResilienceResult>;
  close(): Promise<void>;
}
