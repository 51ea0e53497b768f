/**
 * A background loop: `tick` does a batch of work and says whether to go again at once, or how long
 * it may sleep. `nudge` wakes it early. The loop only decides *when to look*; work lives in the database.
 */
export function startLoop(options: {
  name: string;
  tick: () => Promise<{ again: boolean; sleepMs?: number }>;
  pollMs: number;
  /** Wait this long after a nudge before looking, so work that arrives in a burst is done in one batch. */
  nudgeDelayMs?: number;
  onError: (error: unknown) => void;
}) {
  let stopped = false;
  let sleeping: { timer: ReturnType<typeof setTimeout>; wake: () => void; nudged: boolean } | undefined;
  let nudgedWhileBusy = false;

  const done = (async () => {
    while (!stopped) {
      nudgedWhileBusy = false;
      let result: { again: boolean; sleepMs?: number } = { again: false };
      try {
        result = await options.tick();
      } catch (error) {
        options.onError(error);
      }
      if (stopped) continue;
      if (result.again) {
        // Let requests in between batches: a long backlog must not stall the event loop.
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      const sleepMs = nudgedWhileBusy
        ? (options.nudgeDelayMs ?? 0)
        : Math.min(result.sleepMs ?? options.pollMs, options.pollMs);
      await new Promise<void>((resolve) => {
        sleeping = { timer: setTimeout(resolve, sleepMs), wake: resolve, nudged: nudgedWhileBusy };
      });
      sleeping = undefined;
    }
  })();

  return {
    nudge() {
      if (!sleeping) {
        nudgedWhileBusy = true;
        return;
      }
      if (sleeping.nudged) return; // a wake-up is already on its way; don't push it back
      sleeping.nudged = true;
      clearTimeout(sleeping.timer);
      if (options.nudgeDelayMs) sleeping.timer = setTimeout(sleeping.wake, options.nudgeDelayMs);
      else sleeping.wake();
    },
    async stop() {
      stopped = true;
      if (sleeping) {
        clearTimeout(sleeping.timer);
        sleeping.wake();
      }
      await done;
    },
  };
}
export type Loop = ReturnType<typeof startLoop>;
