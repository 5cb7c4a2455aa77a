import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { WebhookOutbox } from '../webhooks/webhook-outbox.service';
import { Campaign } from './campaign.entity';
import { computeHeadline } from './campaign-headline';

/** The CRM events of a campaign's own life, queued in the transaction that makes them true. */
@Injectable()
export class CampaignEvents {
  constructor(private readonly outbox: WebhookOutbox) {}

  /** Queues `campaign.paused` (why, and the figures of an automatic pause). */
  async paused(tx: EntityManager, campaign: Campaign, now: Date): Promise<void> {
    if (!campaign.webhookUrl) return;
    await this.outbox.enqueue(tx, {
      campaignId: campaign.id,
      type: 'campaign.paused',
      dedupeKey: `campaign.paused:${campaign.id}:${now.toISOString()}`,
      payload: {
        campaign: {
          id: campaign.id,
          name: campaign.name,
          status: 'paused',
          paused_at: now.toISOString(),
        },
        paused_reason: campaign.pausedReason,
        paused_detail: campaign.pausedDetail,
      },
    });
  }

  /** Queues `campaign.completed` with the campaign's headline figures, when it has a webhook. */
  async completed(tx: EntityManager, campaign: Campaign): Promise<void> {
    if (!campaign.webhookUrl) return;
    const summary = await computeHeadline(tx, campaign.id);
    const run = campaign.completedAt ?? campaign.startedAt;
    await this.outbox.enqueue(tx, {
      campaignId: campaign.id,
      type: 'campaign.completed',
      dedupeKey: `campaign.completed:${campaign.id}:${run ? new Date(run).toISOString() : 'first'}`,
      payload: {
        campaign: {
          id: campaign.id,
          name: campaign.name,
          status: 'completed',
          started_at: iso(campaign.startedAt),
          completed_at: iso(campaign.completedAt),
        },
        summary,
      },
    });
  }
}

function iso(d: Date | null | undefined): string | null {
  return d ? new Date(d).toISOString() : null;
}
