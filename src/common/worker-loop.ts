import { Logger } from '@nestjs/common';

/**
 * Runs `tick` every `periodMs` (a number, or asked before each wait), never twice at once. `wake()` asks for a run as soon as the
 * current one ends (coalesced), `stop()` waits for the run in progress: nothing is cut halfway.
 */
export class WorkerLoop {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = true;
  private lastError = '';

  constructor(
    private readonly name: string,
    private readonly periodMs: number | (() => number),
    private readonly tick: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), delayMs);
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    if (this.stopped || this.running) return;
    this.again = false;
    const startedAt = Date.now();
    this.running = this.tick().then(
      () => {
        this.lastError = '';
      },
      (e: unknown) => {
        // The same failure every tick (database down...) is logged once, not every 250 ms.
        const message = e instanceof Error ? e.message : String(e);
        if (message !== this.lastError) this.logger.error(`${this.name} failed: ${message}`);
        this.lastError = message;
      },
    );
    await this.running;
    this.running = undefined;
    // A fixed rate (the period counts from the start of the run), with a short breather when a
    // run took longer than the period.
    const elapsed = Date.now() - startedAt;
    const period = typeof this.periodMs === 'function' ? this.periodMs() : this.periodMs;
    this.schedule(this.again ? 0 : Math.max(period - elapsed, Math.ceil(period / 10)));
  }
}

/** Runs `fn` over `items` with at most `concurrency` at once. */
export async function forEachLimited<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(lanes);
}
