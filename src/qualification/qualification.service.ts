import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';
import { Lead } from '../leads/lead.entity';
import { CallAttempt } from '../calls/call-attempt.entity';

export interface LeadAnswers {
  /** Typed answers by question name. */
  answers: Record<string, unknown>;
  /** true/false by the campaign's rules; null when the campaign has no rules. */
  qualified: boolean | null;
}

/**
 * Turns a completed call's raw post-call answers into typed answers and a qualification verdict,
 * and queues the CRM events. Called by the dialer inside the transaction that finalises the lead,
 * so that the verdict and its event are written together or not at all.
 * TEMPORARY: owned by the qualification/report work, which replaces this body.
 */
@Injectable()
export class QualificationService {
  async onLeadCompleted(
    _tx: EntityManager,
    _campaign: Campaign,
    _lead: Lead,
    _attempt: CallAttempt,
    _postCallAnswers: unknown[],
  ): Promise<LeadAnswers> {
    return { answers: {}, qualified: null };
  }

  async onCampaignCompleted(_tx: EntityManager, _campaign: Campaign): Promise<void> {}
}
