import {
  BeforeApplicationShutdown,
  Injectable,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { CounterFolder } from '../campaigns/counter-folder.service';
import { DialerService } from '../engine/dialer.service';
import { CallTracker } from '../engine/track/call-tracker.service';
import { RetentionService } from '../retention/retention.service';
import { CampaignSettleLoop } from '../scheduling/campaign-settle-loop.service';
import { ScheduleRunner } from '../scheduling/schedule-runner.service';
import { WebhookDeliveryService } from '../webhooks/webhook-delivery.service';

interface Loop {
  start(): void;
  stop(): Promise<void>;
}

/**
 * The one place the worker's loops start and stop. The loops never start themselves: an API
 * instance does not compose this module at all, so it cannot dial, poll or deliver.
 */
@Injectable()
export class WorkerLoops
  implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown
{
  private readonly loops: Loop[];

  constructor(
    private readonly dialer: DialerService,
    tracker: CallTracker,
    schedules: ScheduleRunner,
    settler: CampaignSettleLoop,
    webhooks: WebhookDeliveryService,
    retention: RetentionService,
    counters: CounterFolder,
  ) {
    this.loops = [dialer, tracker, schedules, settler, webhooks, retention, counters];
  }

  onApplicationBootstrap(): void {
    for (const loop of this.loops) loop.start();
  }

  /** Graceful stop: no new work; what is under way (POSTs, polls, deliveries) finishes. */
  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.stop()));
  }

  /** Once every loop stopped: the leases this instance holds go back for the others. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.dialer.handBackLeases();
  }
}
