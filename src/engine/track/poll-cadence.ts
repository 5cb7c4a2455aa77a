/**
 * How long the poller waits before its next pass. A call's end is seen on average half an
 * interval after it happens, and its slot stays held until then; so when calls end often, the
 * interval is shortened, down to half the configured one, as far as a budget of platform
 * requests per finished call allows (requests per pass ÷ (budget × calls ending per ms)). With
 * few calls ending it stays at the configured interval.
 */
export class PollCadence {
  private readonly passes: { at: number; requests: number; finished: number }[] = [];

  constructor(
    private readonly maxMs: number,
    /** Polling requests allowed per finished call. */
    private readonly budget: number,
    private readonly minMs = Math.ceil(maxMs / 2),
    /** The rates are measured over this much recent time. */
    private readonly spanMs = Math.max(5_000, 10 * maxMs),
  ) {}

  /** One polling pass: the platform requests it made and the calls it saw end. */
  record(at: number, requests: number, finished: number): void {
    this.passes.push({ at, requests, finished });
    while (this.passes.length > 2 && this.passes[0].at < at - this.spanMs) this.passes.shift();
  }

  nextIntervalMs(): number {
    if (this.passes.length < 2) return this.maxMs;
    const first = this.passes[0];
    const last = this.passes[this.passes.length - 1];
    let requests = 0;
    let finished = 0;
    // Ends counted after the first pass, over the time since it.
    for (const p of this.passes.slice(1)) {
      requests += p.requests;
      finished += p.finished;
    }
    const elapsed = last.at - first.at;
    if (finished === 0 || requests === 0 || elapsed <= 0) return this.maxMs;
    const requestsPerPass = requests / (this.passes.length - 1);
    const endsPerMs = finished / elapsed;
    const interval = requestsPerPass / (this.budget * endsPerMs);
    return Math.round(Math.min(this.maxMs, Math.max(this.minMs, interval)));
  }
}
