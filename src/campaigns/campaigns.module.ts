import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QualificationModule } from '../qualification/qualification.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { Campaign } from './campaign.entity';
import { CampaignCloner } from './campaign-clone.service';
import { CampaignEvents } from './campaign-events.service';
import { CampaignLifecycle } from './campaign-lifecycle.service';
import { CampaignQuestions } from './campaign-questions';
import { CampaignsService } from './campaigns.service';
import { TestCallsService } from './test-calls.service';
import { WindowsModule } from '../windows/windows.module';

/** Campaign settings (CRUD) and lifecycle. Its loops (schedules, settling) live in SchedulingModule. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Campaign]),
    QualificationModule,
    WebhooksModule,
    WindowsModule,
  ],
  providers: [
    CampaignsService,
    CampaignLifecycle,
    CampaignQuestions,
    CampaignEvents,
    CampaignCloner,
    TestCallsService,
  ],
  exports: [CampaignsService, CampaignLifecycle, CampaignCloner, TestCallsService],
})
export class CampaignsModule {}
