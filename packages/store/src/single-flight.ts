/** A task that runs one at a time and can be asked for one more round while it runs. */
export interface SingleFlight {
  /** Start a run, or, while one is on its way, ask it for one more round and get its promise. */
  (): Promise<void>;
  /** Ask the run on its way for one more round (a round may ask this of itself). */
  again(): void;
}

/**
 * The store's "running / again" loop: `round` never runs twice at once; a call while it runs
 * makes the run do one more round once the current one is over, at most `maxRounds` in all, so
 * changes that arrive meanwhile are folded into one more pass instead of racing it. `before`
 * runs once at the start of a run (e.g. to let requests of the same tick arrive first).
 */
export function singleFlight(round: () => Promise<void>, maxRounds: number, before?: () => Promise<void>): SingleFlight {
  let running: Promise<void> | null = null;
  let again = false;
  const run = (() => {
    if (running !== null) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        if (before) await before();
        for (let i = 0; i < maxRounds; i++) {
          again = false;
          await round();
          if (!again) break;
        }
      } finally {
        running = null;
      }
    })();
    return running;
  }) as SingleFlight;
  run.again = () => {
    again = true;
  };
  return run;
}
