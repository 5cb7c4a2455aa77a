/**
 * At most `max` tasks at once, the others served first come, first served. No timers: a task
 * starts in the same tick as the one it waits for ends. (Bottleneck's queue went through
 * several timer hops per request: 25–40 ms before each call start on a busy event loop.)
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.max) this.active++;
    // The slot is handed over by the task that ends (active stays counted).
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  /** Tasks running now. */
  get running(): number {
    return this.active;
  }

  /** Tasks waiting for a place. */
  get queued(): number {
    return this.waiting.length;
  }
}
