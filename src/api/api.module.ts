import { Module } from '@nestjs/common';
import { AgentsController } from '../agents/agents.controller';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AuditEventsController } from '../audit/audit-events.controller';
import { AuthModule } from '../auth/auth.module';
import { CampaignsController } from '../campaigns/campaigns.controller';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { DashboardModule } from '../dashboard/dashboard.module';
import { HealthModule } from '../health/health.module';
import { LeadTemplateController } from '../leads/lead-template.controller';
import { LeadsController } from '../leads/leads.controller';
import { LeadsModule } from '../leads/leads.module';
import { MetricsController } from '../metrics/metrics.controller';
import { PrivacyModule } from '../privacy/privacy.module';
import { QualificationModule } from '../qualification/qualification.module';
import { ReportsController } from '../reports/reports.controller';
import { ReportsModule } from '../reports/reports.module';
import { RunNowController } from '../scheduling/run-now.controller';
import { SchedulePreviewController } from '../scheduling/schedule-preview.controller';
import { SchedulingModule } from '../scheduling/scheduling.module';
import { SuppressionsController } from '../suppressions/suppressions.controller';
import { SuppressionsModule } from '../suppressions/suppressions.module';
import { WebhookEventsController } from '../webhooks/webhook-events.controller';
import { WebhooksModule } from '../webhooks/webhooks.module';

/**
 * The HTTP API (APP_ROLE `api` or `all`): every controller, the key check and the roles guard.
 * The feature modules hold only services, so a worker composes no route at all.
 */
@Module({
  imports: [
    AuthModule,
    ApiKeysModule,
    PrivacyModule,
    HealthModule,
    DashboardModule,
    LeadsModule,
    CampaignsModule,
    SchedulingModule,
    QualificationModule,
    SuppressionsModule,
    WebhooksModule,
    ReportsModule,
  ],
  // In the order the OpenAPI document lists them (the committed client types follow it).
  controllers: [
    AuditEventsController,
    MetricsController,
    LeadsController,
    LeadTemplateController,
    CampaignsController,
    SchedulePreviewController,
    RunNowController,
    SuppressionsController,
    ReportsController,
    WebhookEventsController,
    AgentsController,
  ],
})
export class ApiModule {}
