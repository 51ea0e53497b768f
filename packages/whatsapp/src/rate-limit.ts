/**
 * A sliding-window gate for `ratePerSecond`: at most `burst` sends in any window of `burst / rate`
 * seconds, where `burst` is a tenth of the rate (at least 1). So no one-second window ever holds more
 * than the rate, yet a sender can take up to a tenth of a second's sends in one batch instead of one
 * send per tick. `reserve` lets one send through (returns 0) or says how many ms to wait; it never sleeps.
 */
export class RateGate {
  private readonly burst: number;
  private readonly windowMs: number;
  /** Times of the last `burst` sends, as a ring; `head` is the oldest once it is full. */
  private readonly sent: number[] = [];
  private head = 0;

  constructor(ratePerSecond: number) {
    if (!(ratePerSecond > 0)) throw new Error('rate must be above 0');
    this.burst = Math.max(1, Math.floor(ratePerSecond / 10));
    this.windowMs = (this.burst * 1000) / ratePerSecond;
  }

  reserve(now: number): number {
    if (this.sent.length < this.burst) {
      this.sent.push(now);
      return 0;
    }
    // The ring's oldest send: once it leaves the window, its slot is free.
    const oldest = this.sent[this.head]!;
    if (now - oldest < this.windowMs) return Math.ceil(oldest + this.windowMs - now);
    this.sent[this.head] = now;
    this.head = (this.head + 1) % this.burst;
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
