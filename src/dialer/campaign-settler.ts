import { Injectable } from '@nestjs/common';

/**
 * Tells the campaigns module that leads of a campaign became final, so it can mark the
 * campaign completed when every lead is. TEMPORARY no-op until the campaigns module lands.
 */
@Injectable()
export class CampaignSettler {
  async settle(_campaignId: string): Promise<void> {}
}
