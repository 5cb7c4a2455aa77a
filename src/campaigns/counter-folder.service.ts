import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { WorkerLoop } from '../common/worker-loop';
import { WORKER_TUNING } from '../core/runtime';
import type { WorkerTuning } from '../core/runtime';
import { foldCounters } from './campaign-counters';

const DEFAULT_INTERVAL_MS = 5_000;

/**
 * Worker loop: folds the counters' delta rows (see foldCounters), so that a campaign's figures
 * stay a SUM over a few rows however many statements changed its leads. Any number of
 * instances may run it at once.
 */
@Injectable()
export class CounterFolder {
  private readonly logger = new Logger(CounterFolder.name);
  private loop?: WorkerLoop;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(WORKER_TUNING) private readonly tuning: WorkerTuning,
  ) {}

  /** Started by WorkerLoops, in the worker roles only. */
  start(): void {
    const extra = this.tuning as Partial<{ counterFoldIntervalMs: number }>;
    this.loop = new WorkerLoop(
      'counter fold',
      extra.counterFoldIntervalMs ?? DEFAULT_INTERVAL_MS,
      async () => {
        await foldCounters(this.db);
      },
      this.logger,
    );
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }
}
