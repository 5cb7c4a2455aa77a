/**
 * Learns how much later, on the platform's clock, calls start than our requested_at (network
 * latency plus clock difference), so the polling window can start just before the oldest live
 * call instead of a full clockSkewMs earlier: at 1,000 live calls the difference is pages of
 * calls listed for nothing. A wrong estimate costs only GET /calls/{id} for the calls the list
 * missed, never a lost call.
 */
export class SkewEstimator {
  private readonly samples: number[] = [];
  private next = 0;

  constructor(
    private readonly maxSkewMs: number,
    private readonly marginMs = 2_000,
    private readonly size = 256,
  ) {}

  /** platform start_time minus our requested_at, for one call. */
  sample(platformStart: string | null | undefined, requestedAt: Date): void {
    const start = platformStart ? Date.parse(platformStart) : NaN;
    if (Number.isNaN(start)) return;
    const offset = start - requestedAt.getTime();
    if (Math.abs(offset) > this.maxSkewMs) return;
    if (this.samples.length < this.size) this.samples.push(offset);
    else this.samples[this.next] = offset;
    this.next = (this.next + 1) % this.size;
  }

  /** Add to a requested_at to get a safe lower bound of the platform's start time. */
  lowerOffsetMs(): number {
    if (this.samples.length === 0) return -this.maxSkewMs;
    return Math.max(-this.maxSkewMs, Math.min(...this.samples) - this.marginMs);
  }
}
