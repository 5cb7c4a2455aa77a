import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { ApiModule } from './api/api.module';
import { AuditModule } from './audit/audit.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { CallRoundedModule } from './callrounded/callrounded.module';
import { CallRoundedVoicePlatformModule } from './callrounded/voice-platform/callrounded-voice-platform.module';
import { createRootLogger } from './common/logger';
import { CoreModule } from './core/core.module';
import { EngineModule } from './engine/engine.module';
import { Runtime } from './core/runtime';
import { dataSourceOptions } from './database/data-source-options';
import { LeadsModule } from './leads/leads.module';
import { MetricsModule } from './metrics/metrics.module';
import { QualificationModule } from './qualification/qualification.module';
import { SchedulingModule } from './scheduling/scheduling.module';
import { RetentionModule } from './retention/retention.module';
import { SuppressionsModule } from './suppressions/suppressions.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { WindowsModule } from './windows/windows.module';
import { WorkerModule } from './worker/worker.module';

/**
 * The whole service. Feature modules (services only) are listed in the order a lead flows through
 * them. The worker's loops (WorkerModule: dialer, poller, schedules, settling, CRM delivery) are
 * composed only when APP_ROLE is `all` or `worker`; the controllers, the key check and the roles
 * guard (ApiModule) only when it is `all` or `api`.
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
        // The voice platform the engine dials through (its VOICE_PLATFORM port).
        CallRoundedVoicePlatformModule,
        AuditModule,
        MetricsModule,
        LeadsModule,
        CampaignsModule,
        WindowsModule,
        SchedulingModule,
        SuppressionsModule,
        EngineModule,
        QualificationModule,
        WebhooksModule,
        RetentionModule,
        ...(http ? [ApiModule] : []),
        ...(worker ? [WorkerModule] : []),
      ],
    };
  }
}
