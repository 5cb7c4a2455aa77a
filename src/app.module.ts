import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AgentsModule } from './agents/agents.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { CallRoundedModule } from './callrounded/callrounded.module';
import { createRootLogger } from './common/logger';
import { CoreModule } from './core/core.module';
import { EngineModule } from './engine/engine.module';
import { Runtime } from './core/runtime';
import { dataSourceOptions } from './database/data-source-options';
import { DashboardModule } from './dashboard/dashboard.module';
import { HealthModule } from './health/health.module';
import { LeadsModule } from './leads/leads.module';
import { MetricsModule } from './metrics/metrics.module';
import { PrivacyModule } from './privacy/privacy.module';
import { QualificationModule } from './qualification/qualification.module';
import { SchedulingModule } from './scheduling/scheduling.module';
import { ReportsModule } from './reports/reports.module';
import { RetentionModule } from './retention/retention.module';
import { SuppressionsModule } from './suppressions/suppressions.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { WindowsModule } from './windows/windows.module';
import { WorkerModule } from './worker/worker.module';

/**
 * The whole service. Feature modules are listed in the order a lead flows through them.
 * The worker's loops (WorkerModule: dialer, poller, schedules, settling, CRM delivery) are composed
 * only when APP_ROLE is `all` or `worker`; the HTTP-only parts only when it is `all` or `api`.
 */
@Module({})
export class AppModule {
  static forRoot(runtime: Runtime): DynamicModule {
    const http = runtime.config.APP_ROLE !== 'worker';
    const worker = runtime.config.APP_ROLE !== 'api';
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(runtime),
        LoggerModule.forRoot({
          pinoHttp: {
            logger: createRootLogger(runtime.config.LOG_LEVEL),
            autoLogging: { ignore: (req) => ['/health', '/metrics'].includes(req.url ?? '') },
            customProps: () => ({ role: runtime.config.APP_ROLE }),
          },
        }),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(runtime.databaseUrl),
          autoLoadEntities: true,
        }),
        CallRoundedModule.forRoot({
          baseUrl: runtime.platform.baseUrl,
          apiKey: runtime.platform.apiKey,
          timeoutMs: runtime.platform.timeoutMs,
        }),
        AuditModule,
        MetricsModule,
        LeadsModule,
        CampaignsModule,
        WindowsModule,
        SchedulingModule,
        SuppressionsModule,
        EngineModule,
        QualificationModule,
        ReportsModule,
        WebhooksModule,
        RetentionModule,
        ...(http
          ? [AuthModule, ApiKeysModule, PrivacyModule, HealthModule, DashboardModule, AgentsModule]
          : []),
        ...(worker ? [WorkerModule] : []),
      ],
    };
  }
}
