/**
 * Slows password guessing. Failures are counted per address (email) and per client IP over a sliding
 * 15-minute window; the 5th failure locks the key for 30 s, and every further failure locks it again
 * for twice as long as the last lock, up to 15 minutes, until the key has stayed quiet for 15 minutes
 * after its last lock. While locked, attempts are refused (429 with `Retry-After`) before the
 * password is even checked, so they cost no scrypt time and teach nothing. A success clears the
 * address's count (not the IP's: one valid account must not reset an attacker's address budget).
 *
 * Kept in memory, per process, on purpose: Switchboard runs as one process per data directory (the
 * process lock in process-lock.ts), so this process sees every attempt; a restart forgets the counts,
 * which an attacker cannot trigger; and writing each failure to the database would turn a guessing
 * flood into a write flood. The number of tracked keys is capped, so a spray of random addresses cannot
 * grow it without bound (the oldest entries go first).
 */
export interface ThrottleOptions {
  /** Failures allowed in the window before the first lock. Default 5. */
  maxFailures?: number;
  windowMs?: number;
  /** The first lock; each further failure doubles it. Default 30 s. */
  baseLockMs?: number;
  maxLockMs?: number;
  /** Most keys remembered at once. Default 50,000. */
  maxKeys?: number;
}

interface Entry {
  /** Failure times within the window. */
  failures: number[];
  /** How many locks in a row: the next one lasts base · 2^level. */
  level: number;
  lockedUntil: number;
}

export class SignInThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly baseLockMs: number;
  private readonly maxLockMs: number;
  private readonly maxKeys: number;

  constructor(options: ThrottleOptions = {}) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.baseLockMs = options.baseLockMs ?? 30_000;
    this.maxLockMs = options.maxLockMs ?? 15 * 60_000;
    this.maxKeys = options.maxKeys ?? 50_000;
  }

  /** Milliseconds until the next attempt for these keys is allowed; 0: go ahead. */
  wait(keys: string[], now = Date.now()): number {
    let wait = 0;
    for (const key of keys) {
      const e = this.entries.get(key);
      if (e && e.lockedUntil > now) wait = Math.max(wait, e.lockedUntil - now);
    }
    return wait;
  }

  /** Counts a failure for each key; returns how many failures the most-failed key now has in the window. */
  fail(keys: string[], now = Date.now()): number {
    let most = 0;
    for (const key of keys) {
      const e = this.entries.get(key) ?? { failures: [], level: 0, lockedUntil: 0 };
      // A key that stayed quiet for a whole window after its last lock starts over.
      if (e.level > 0 && now >= e.lockedUntil + this.windowMs) {
        e.level = 0;
        e.failures = [];
      }
      e.failures = e.failures.filter((t) => t > now - this.windowMs);
      e.failures.push(now);
      if (e.level > 0 || e.failures.length >= this.maxFailures) {
        e.lockedUntil = now + Math.min(this.maxLockMs, this.baseLockMs * 2 ** e.level);
        e.level++;
      }
      // Re-inserted so the map's order is "least recently failed first" for eviction.
      this.entries.delete(key);
      this.entries.set(key, e);
      most = Math.max(most, e.failures.length);
    }
    this.evict();
    return most;
  }

  /** Forgets a key (a successful sign-in clears the address's failures). */
  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Drops the least recently failed keys beyond the cap. */
  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxKeys) break;
      this.entries.delete(key);
    }
  }
}
