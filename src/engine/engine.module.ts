import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentCallReader } from './track/agent-call-reader';
import { AttemptFinalizer } from './finish/attempt-finalizer.service';
import { AttemptLedger } from './attempts/attempt-ledger.service';
import { CallAttempt } from './attempts/call-attempt.entity';
import { CallTerminator } from './track/call-terminator.service';
import { CallTracker } from './track/call-tracker.service';
import { Campaign } from '../campaigns/campaign.entity';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { WORKER_TUNING, type WorkerTuning } from '../core/runtime';
import { Lead } from '../leads/lead.entity';
import { LeadsModule } from '../leads/leads.module';
import { CallAttemptsRepository } from './attempts/call-attempts.repository';
import { QualificationModule } from '../qualification/qualification.module';
import { WindowsModule } from '../windows/windows.module';
import { ComplianceModule } from '../compliance/compliance.module';
import { CallStarter } from './start/call-starter.service';
import { CampaignSettler } from './finish/campaign-settler';
import { DIALER_FAULTS, dialerFaults, installFaultsFromEnv } from './dialer-faults';
import { DialerService } from './dialer.service';
import { EngineMetrics } from './engine-metrics';
import { ENGINE_SETTINGS, engineSettings } from './engine-settings';
import { InFlightRegistry } from './attempts/in-flight.registry';
import { LeadClaimer } from './claim/lead-claimer.service';
import { PlatformPacer } from './start/platform-pacer';
import { PlatformPauseService } from './start/platform-pause.service';
import { Reconciler } from './start/reconciler.service';

/**
 * The dialling engine, by stage of an attempt: claim/ (leads within the caps and windows),
 * start/ (the POST, exactly once; pacing, the fleet-wide 429 pause, reconciling unknown starts),
 * track/ (polling calls to their end), finish/ (outcome, retry policy, qualification, settling
 * the campaign), and attempts/ (the call_attempts table and the leases this process holds).
 * Its loops run only when APP_ROLE is `all` or `worker`; with `api` the module is inert.
 * It reaches the platform only through the VOICE_PLATFORM port (platform/voice-platform.port.ts),
 * bound by the platform module the root composes (today CallRoundedVoicePlatformModule).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([CallAttempt, Campaign, Lead]),
    QualificationModule,
    WindowsModule,
    ComplianceModule,
    CampaignsModule,
    LeadsModule,
  ],
  providers: [
    {
      provide: ENGINE_SETTINGS,
      inject: [WORKER_TUNING],
      useFactory: (tuning: WorkerTuning) => engineSettings(tuning),
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
    CallAttemptsRepository,
    AttemptFinalizer,
    CallTerminator,
    AgentCallReader,
    CallTracker,
  ],
  exports: [DialerService, CallTracker, ENGINE_SETTINGS],
})
export class EngineModule {}
