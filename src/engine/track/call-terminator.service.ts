import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { VOICE_PLATFORM, type VoicePlatform } from '../platform/voice-platform.port';
import { PlatformPacer } from '../start/platform-pacer';
import { CallAttemptsRepository } from '../attempts/call-attempts.repository';
import { CampaignsRepository } from '../../campaigns/campaigns.repository';

/**
 * Ends live calls of cancelled campaigns (POST /calls/{id}/terminate). The
 * `terminate_requested_at` marker is set by a conditional UPDATE, so each call is terminated by
 * one instance once; a failed request clears it and the next sweep tries again. The call itself
 * is still polled to its final status and recorded like any other.
 */
@Injectable()
export class CallTerminator {
  private readonly logger = new Logger(CallTerminator.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(VOICE_PLATFORM) private readonly platform: VoicePlatform,
    private readonly pacer: PlatformPacer,
    private readonly attempts: CallAttemptsRepository,
    private readonly campaignRows: CampaignsRepository,
  ) {}

  /** Every live call of a cancelled campaign not yet asked to end. */
  async sweepCancelled(now: Date): Promise<number> {
    const rows = await this.attempts.markCancelledCampaignsCalls(now);
    await Promise.all(rows.map((r) => this.send(r.id, r.call_id)));
    return rows.length;
  }

  /** Terminates one live call now (its campaign was cancelled while it was starting). */
  async terminate(attemptId: string, now: Date): Promise<void> {
    const callId = await this.attempts.markForTermination(attemptId, now);
    if (callId !== undefined) await this.send(attemptId, callId);
  }

  /** Best effort for calls we no longer track (terminate is idempotent on the platform). */
  async terminateUntracked(callId: string): Promise<void> {
    await this.pacer
      .request(() => this.platform.terminateCall(callId))
      .catch((e: unknown) => {
        this.logger.error(`could not terminate call ${callId}: ${String(e)}`);
      });
  }

  private async send(attemptId: string, callId: string): Promise<void> {
    try {
      await this.pacer.request(() => this.platform.terminateCall(callId));
    } catch (e) {
      this.logger.warn(`terminate of call ${callId} failed, will retry: ${String(e)}`);
      await this.campaignRows.clearTerminationMark(this.db, attemptId);
    }
  }
}
