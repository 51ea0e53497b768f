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
 * Keeps claiming and driving runs that can move. The timer only decides *when to look*: every fact
 * about a run (queued, waiting until, waiting for) lives in the store, so a restart loses nothing.
 */
export function startScheduler(engine: Engine, options: SchedulerOptions = {}) {
  const pollMs = options.pollMs ?? 250;
  const concurrency = options.concurrency ?? 8;
  const logger = options.logger ?? silentLogger;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake: (() => void) | undefined;

  const loop = (async () => {
    while (!stopped) {
      let claimed = 0;
      try {
        claimed = await engine.tick(concurrency);
      } catch (error) {
        logger.error(
          { err: error instanceof Error ? error.message : String(error) },
          'scheduler tick failed',
        );
      }
      if (claimed > 0 || stopped) continue;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, pollMs);
      });
      wake = undefined;
    }
  })();

  return {
    /** Look now instead of at the next poll (after a new run or a delivered reply). */
    nudge() {
      if (timer) clearTimeout(timer);
      wake?.();
    },
    /** Stops claiming; resolves when the runs in hand have parked or ended. */
    async stop() {
      stopped = true;
      this.nudge();
      await loop;
    },
  };
}
export type Scheduler = ReturnType<typeof startScheduler>;
