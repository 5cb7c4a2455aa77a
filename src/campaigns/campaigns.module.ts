import { CampaignsRepository } from './campaigns.repository';
import { LeadsModule } from '../leads/leads.module';
import { ComplianceModule } from '../compliance/compliance.module';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QualificationModule } from '../qualification/qualification.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { Campaign } from './campaign.entity';
import { CampaignCloner } from './campaign-clone.service';
import { CampaignEvents } from './campaign-events.service';
import { CampaignLifecycle } from './campaign-lifecycle.service';
import { CampaignLimits } from './campaign-limits';
import { CampaignQuestions } from './campaign-questions';
import { CampaignRequeue } from './campaign-requeue.service';
import { CampaignsService } from './campaigns.service';
import { TestCallsService } from './test-calls.service';
import { CounterFolder } from './counter-folder.service';
import { WindowsModule } from '../windows/windows.module';

/** Campaign settings (CRUD) and lifecycle. Its loops (schedules, settling) live in SchedulingModule. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Campaign]),
    QualificationModule,
    WebhooksModule,
    WindowsModule,
    ComplianceModule,
    LeadsModule,
  ],
  providers: [
    CampaignsService,
    CampaignsRepository,
    CampaignLifecycle,
    CampaignLimits,
    CampaignQuestions,
    CampaignEvents,
    CampaignCloner,
    CampaignRequeue,
    TestCallsService,
    CounterFolder,
  ],
  exports: [
    CampaignsService,
    CampaignsRepository,
    CampaignLifecycle,
    CampaignLimits,
    CampaignCloner,
    CampaignRequeue,
    CounterFolder,
    TestCallsService,
  ],
})
export class CampaignsModule {}
