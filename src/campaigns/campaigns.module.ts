import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QualificationModule } from '../qualification/qualification.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { Campaign } from './campaign.entity';
import { CampaignEvents } from './campaign-events.service';
import { CampaignLifecycle } from './campaign-lifecycle.service';
import { CampaignQuestions } from './campaign-questions';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';

/** Campaign settings (CRUD) and lifecycle. Its loops (schedules, settling) live in SchedulingModule. */
@Module({
  imports: [TypeOrmModule.forFeature([Campaign]), QualificationModule, WebhooksModule],
  controllers: [CampaignsController],
  providers: [CampaignsService, CampaignLifecycle, CampaignQuestions, CampaignEvents],
  exports: [CampaignsService, CampaignLifecycle],
})
export class CampaignsModule {}
