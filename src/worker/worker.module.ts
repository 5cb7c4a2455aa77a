import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { EngineModule } from '../engine/engine.module';
import { RetentionModule } from '../retention/retention.module';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { WorkerLoops } from './worker-loops.service';

/** The worker role (APP_ROLE `worker` or `all`): dialling, polling, schedules, settling, CRM delivery, retention, counter folding. */
@Module({
  imports: [CampaignsModule, EngineModule, SchedulingModule, WebhooksModule, RetentionModule],
  providers: [WorkerLoops],
})
export class WorkerModule {}
