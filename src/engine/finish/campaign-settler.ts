import { Injectable, Logger } from '@nestjs/common';
import type { PausedReason } from '../../campaigns/campaign.entity';
import { CampaignLifecycle } from '../../campaigns/campaign-lifecycle.service';

/**
 * The dialler's two calls into the campaign lifecycle: "leads of this campaign became final"
 * (so it completes, or its scheduled run ends, without waiting for the settle loop's next
 * tick) and "the platform refuses this campaign's calls" (pause it, so no lead is burnt on a
 * misconfiguration; its reason and figures are shown on the campaign). Both are best effort: the lifecycle's own loop settles campaigns anyway.
 */
@Injectable()
export class CampaignSettler {
  private readonly logger = new Logger(CampaignSettler.name);

  constructor(private readonly lifecycle: CampaignLifecycle) {}

  async settle(campaignId: string): Promise<void> {
    await this.lifecycle.settle(campaignId).catch((e: unknown) => {
      this.logger.warn(
        `settling campaign ${campaignId} failed (the settle loop retries): ${String(e)}`,
      );
    });
  }

  async pause(
    campaignId: string,
    reason: Exclude<PausedReason, 'manual'>,
    detail: Record<string, unknown>,
  ): Promise<void> {
    try {
      // False: already paused, cancelled or completed by someone else: nothing to do.
      if (await this.lifecycle.pauseFor(campaignId, reason, detail)) {
        this.logger.error(`campaign ${campaignId} paused (${reason}): ${JSON.stringify(detail)}`);
      }
    } catch (e) {
      this.logger.warn(`could not pause campaign ${campaignId} (${reason}): ${String(e)}`);
    }
  }
}
