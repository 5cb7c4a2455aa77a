import { Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { CampaignSettler } from './campaign-settler.service';
import { ScheduleRunner } from './schedule-runner.service';

/** The campaign loops of the worker role: schedule runs and settling (idle in the api role). */
@Module({
  imports: [CampaignsModule],
  providers: [ScheduleRunner, CampaignSettler],
  exports: [ScheduleRunner],
})
export class SchedulingModule {}
