import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { CampaignSettleLoop } from './campaign-settle-loop.service';
import { ScheduleRunner } from './schedule-runner.service';

/**
 * The campaign loops of the worker role: schedule runs and settling (started by WorkerLoops).
 * Its routes (schedule preview, run now) are composed by ApiModule.
 */
@Module({
  imports: [CampaignsModule],
  providers: [ScheduleRunner, CampaignSettleLoop],
  exports: [ScheduleRunner, CampaignSettleLoop],
})
export class SchedulingModule {}
