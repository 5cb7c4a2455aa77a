import { Inject, Injectable, Logger } from '@nestjs/common';
import { CampaignLifecycle } from '../campaigns/campaign-lifecycle.service';
import { WORKER_TUNING, type WorkerTuning } from '../core/runtime';
import { WorkerLoop } from '../common/worker-loop';

/**
 * Moves campaigns on as their leads finish (worker role): completes running campaigns whose
 * leads are all final, ends scheduled runs with nothing left to dial, and cancels leads left
 * waiting in cancelled campaigns. Runs at the poll interval: leads finish when polls see calls end.
 */
@Injectable()
export class CampaignSettleLoop {
  private readonly logger = new Logger(CampaignSettleLoop.name);
  private loop?: WorkerLoop;

  constructor(
    private readonly lifecycle: CampaignLifecycle,
    @Inject(WORKER_TUNING) private readonly tuning: WorkerTuning,
  ) {}

  /** Started by WorkerLoops, in the worker roles only. */
  start(): void {
    this.loop = new WorkerLoop(
      'campaign settler',
      this.tuning.pollIntervalMs,
      async () => {
        await this.lifecycle.settleAll();
      },
      this.logger,
    );
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }
}
