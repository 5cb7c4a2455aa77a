import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentCallReader } from '../calls/agent-call-reader';
import { AttemptFinalizer } from '../calls/attempt-finalizer.service';
import { AttemptLedger } from '../calls/attempt-ledger.service';
import { CallAttempt } from '../calls/call-attempt.entity';
import { CallTerminator } from '../calls/call-terminator.service';
import { CallTracker } from '../calls/call-tracker.service';
import { Campaign } from '../campaigns/campaign.entity';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { AppConfig } from '../config/app-config';
import { WORKER_TUNING, type WorkerTuning } from '../core/runtime';
import { Lead } from '../leads/lead.entity';
import { QualificationModule } from '../qualification/qualification.module';
import { WindowsModule } from '../windows/windows.module';
import { CallStarter } from './call-starter.service';
import { CampaignSettler } from './campaign-settler';
import { DIALER_FAULTS, dialerFaults, installFaultsFromEnv } from './dialer-faults';
import { DialerService } from './dialer.service';
import { EngineMetrics } from './engine-metrics';
import { ENGINE_SETTINGS, engineSettings } from './engine-settings';
import { InFlightRegistry } from './in-flight.registry';
import { LeadClaimer } from './lead-claimer.service';
import { PlatformPacer } from './platform-pacer';
import { PlatformPauseService } from './platform-pause.service';
import { Reconciler } from './reconciler.service';

/**
 * The dialling engine: claims leads within the caps, starts calls exactly once, reconciles
 * unknown outcomes, follows calls to their end and applies the retry policy. Its loops run only
 * when APP_ROLE is `all` or `worker`; with `api` the module is inert.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([CallAttempt, Campaign, Lead]),
    QualificationModule,
    WindowsModule,
    CampaignsModule,
  ],
  providers: [
    {
      provide: ENGINE_SETTINGS,
      inject: [WORKER_TUNING, AppConfig],
      useFactory: (tuning: WorkerTuning, config: AppConfig) =>
        engineSettings(tuning, config.extraTerminalStatuses),
    },
    { provide: DIALER_FAULTS, useFactory: () => installFaultsFromEnv(dialerFaults) },
    EngineMetrics,
    PlatformPacer,
    PlatformPauseService,
    InFlightRegistry,
    LeadClaimer,
    CallStarter,
    Reconciler,
    DialerService,
    CampaignSettler,
    AttemptLedger,
    AttemptFinalizer,
    CallTerminator,
    AgentCallReader,
    CallTracker,
  ],
  exports: [DialerService, CallTracker, ENGINE_SETTINGS],
})
export class DialerModule {}
