import type { Engine } from './engine.js';
import type { Logger } from './logger.js';
import { silentLogger } from './logger.js';

export interface SchedulerOptions {
  /** How often to look for due runs when nothing nudged us. Default 250 ms. */
  pollMs?: number;
  /** Runs driven at once. Default 8. */
  concurrency?: number;
  logger?: Logger;
}

/**
 * Keeps up to `concurrency` runs in flight: whenever one parks or ends, another due run is claimed, so a
 * slow step (an HTTP call) holds one slot, not the whole batch. The timer only decides *when to look*:
 * every fact about a run (queued, waiting until, waiting for) lives in the store, so a restart loses
 * nothing.
 */
export function startScheduler(engine: Engine, options: SchedulerOptions = {}) {
  const pollMs = options.pollMs ?? 250;
  const concurrency = options.concurrency ?? 8;
  const logger = options.logger ?? silentLogger;
  let stopped = false;
  let inFlight = 0;
  const running = new Set<Promise<void>>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake: (() => void) | undefined;
  let nudged = false;

  const look = () => {
    nudged = true;
    if (timer) clearTimeout(timer);
    wake?.();
  };

  const loop = (async () => {
    while (!stopped) {
      nudged = false;
      let claimed = 0;
      const free = concurrency - inFlight;
      if (free > 0) {
        try {
          const runs = await engine.claim(free);
          claimed = runs.length;
          for (const run of runs) {
            inFlight++;
            running.add(run);
            void run.finally(() => {
              inFlight--;
              running.delete(run);
              look(); // a slot is free: there may be more due runs
            });
          }
        } catch (error) {
          logger.error(
            { err: error instanceof Error ? error.message : String(error) },
            'scheduler tick failed',
          );
        }
      }
      if (stopped) break;
      // More may be due and there is room: look again after letting I/O in.
      if (claimed > 0 && inFlight < concurrency) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      if (nudged) continue;
      await new Promise<void>((resolve) => {
        wake = resolve;
        // Full: a finishing run wakes us. Idle: look again after pollMs (delays fall due by time).
        timer = setTimeout(resolve, pollMs);
      });
      wake = undefined;
      timer = undefined;
    }
  })();

  return {
    /** Look now instead of at the next poll (after a new run or a delivered reply). */
    nudge: look,
    /** Stops claiming; resolves when the runs in hand have parked or ended. */
    async stop() {
      stopped = true;
      look();
      await loop;
      await Promise.all(running);
    },
  };
}
export type Scheduler = ReturnType<typeof startScheduler>;
