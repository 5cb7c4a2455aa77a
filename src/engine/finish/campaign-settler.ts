import { Injectable, Logger } from '@nestjs/common';
import { CampaignLifecycle } from '../../campaigns/campaign-lifecycle.service';

/**
 * The dialler's two calls into the campaign lifecycle: "leads of this campaign became final"
 * (so it completes, or its scheduled run ends, without waiting for the settle loop's next
 * tick) and "the platform refuses this campaign's calls" (pause it, so no lead is burnt on a
 * misconfiguration). Both are best effort: the lifecycle's own loop settles campaigns anyway.
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

  async pause(campaignId: string, reason: string): Promise<void> {
    try {
      await this.lifecycle.pause(campaignId);
      this.logger.error(`campaign ${campaignId} paused: ${reason}`);
    } catch (e) {
      // Already paused, cancelled or completed by someone else: nothing to do.
      this.logger.warn(`could not pause campaign ${campaignId} (${reason}): ${String(e)}`);
    }
  }
}
