/**
 * Evenly spaced sends at `ratePerSecond` (a GCRA-style gate). `reserve` lets one send through (returns 0)
 * or says how many ms to wait; it never sleeps, so the caller decides. A send that comes a little late
 * keeps the schedule instead of losing the time, so the long-run rate is exact, and no one-second window
 * ever holds more than rate + 1 sends.
 */
export class RateGate {
  private next = Number.NEGATIVE_INFINITY;
  private readonly interval: number;

  constructor(ratePerSecond: number) {
    if (!(ratePerSecond > 0)) throw new Error('rate must be above 0');
    this.interval = 1000 / ratePerSecond;
  }

  reserve(now: number): number {
    if (now < this.next) return Math.ceil(this.next - now);
    this.next = (now - this.next < this.interval ? this.next : now) + this.interval;
    return 0;
  }
}

/** Per-channel throughput plus spacing between messages to the same recipient (Meta's pair rate limit). */
export class SendPacer {
  private readonly gates = new Map<string, RateGate>();
  private readonly lastTo = new Map<string, number>();

  constructor(private readonly options: { ratePerSecond: number; pairSpacingMs: number }) {}

  /** 0 when a message from `channel` to `recipient` may go now (and counts it), else ms to wait. */
  reserve(channel: string, recipient: string, now: number): number {
    const pairKey = `${channel}:${recipient}`;
    const last = this.lastTo.get(pairKey);
    if (last !== undefined && now - last < this.options.pairSpacingMs)
      return this.options.pairSpacingMs - (now - last);
    let gate = this.gates.get(channel);
    if (!gate) {
      gate = new RateGate(this.options.ratePerSecond);
      this.gates.set(channel, gate);
    }
    const wait = gate.reserve(now);
    if (wait === 0) this.lastTo.set(pairKey, now);
    if (this.lastTo.size > 100_000) this.prune(now);
    return wait;
  }

  private prune(now: number) {
    for (const [key, at] of this.lastTo) if (now - at > this.options.pairSpacingMs) this.lastTo.delete(key);
  }
}
