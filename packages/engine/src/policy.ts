import type { RetryPolicy } from '@switchboard/flow-schema';

/**
 * Wait before try `nextAttempt` (2, 3, …): backoff × 2^(n-2), capped, with a random part so many
 * failing runs do not retry in lockstep.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  nextAttempt: number,
  random: () => number = Math.random,
): number {
  const base = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** Math.max(0, nextAttempt - 2));
  const spread = base * policy.jitter;
  return Math.max(0, Math.round(base - spread + random() * spread));
}

/** Runs `work`, aborting its signal and rejecting once `timeoutMs` passes. */
export async function withTimeout<T>(
  work: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number | undefined,
  outer: AbortSignal,
  onTimeout: () => Error,
): Promise<T> {
  // Without a timeout the step's signal is the run's own: no controller to make and unhook per step.
  if (timeoutMs === undefined) return work(outer);
  const controller = new AbortController();
  const abort = () => controller.abort(outer.reason);
  outer.addEventListener('abort', abort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      work(controller.signal),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = onTimeout();
          controller.abort(error);
          reject(error);
        }, timeoutMs);
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
    outer.removeEventListener('abort', abort);
  }
}
