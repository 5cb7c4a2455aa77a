import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { CampaignSettleLoop } from './campaign-settle-loop.service';
import { RunNowController } from './run-now.controller';
import { SchedulePreviewController } from './schedule-preview.controller';
import { ScheduleRunner } from './schedule-runner.service';

/**
 * The campaign loops of the worker role: schedule runs and settling (started by WorkerLoops);
 * and the schedule routes (preview, run now).
 */
@Module({
  imports: [CampaignsModule],
  controllers: [SchedulePreviewController, RunNowController],
  providers: [ScheduleRunner, CampaignSettleLoop],
  exports: [ScheduleRunner, CampaignSettleLoop],
})
export class SchedulingModule {}
