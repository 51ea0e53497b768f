/**
 * A background loop: `tick` does a batch of work and says whether to go again at once, or how long
 * it may sleep. `nudge` wakes it early. The loop only decides *when to look*; work lives in the database.
 */
export function startLoop(options: {
  name: string;
  tick: () => Promise<{ again: boolean; sleepMs?: number }>;
  pollMs: number;
  onError: (error: unknown) => void;
}) {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake: (() => void) | undefined;
  const done = (async () => {
    while (!stopped) {
      let result: { again: boolean; sleepMs?: number } = { again: false };
      try {
        result = await options.tick();
      } catch (error) {
        options.onError(error);
      }
      if (result.again || stopped) continue;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, Math.min(result.sleepMs ?? options.pollMs, options.pollMs));
      });
      wake = undefined;
    }
  })();
  return {
    nudge() {
      if (timer) clearTimeout(timer);
      wake?.();
    },
    async stop() {
      stopped = true;
      this.nudge();
      await done;
    },
  };
}
export type Loop = ReturnType<typeof startLoop>;
