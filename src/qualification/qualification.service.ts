import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Campaign } from '../campaigns/campaign.entity';
import { CallAttempt } from '../calls/call-attempt.entity';
import { Lead } from '../leads/lead.entity';
import { computeHeadline } from '../reports/report-summary';
import { WebhookOutbox } from '../webhooks/webhook-outbox.service';
import { typeAnswers, TypedAnswers } from './answer-typing';
import { questionInfos } from './question-kind';
import { evaluateQualification } from './rules';

export interface LeadAnswers {
  /** Typed answers by question name. */
  answers: TypedAnswers;
  /** true/false by the campaign's rules; null when the campaign has no rules. */
  qualified: boolean | null;
}

/**
 * Turns a completed call's raw post-call answers into typed answers and a qualification verdict,
 * and queues the CRM events. Called by the dialer inside the transaction that finalises the lead,
 * so that the verdict and its event are written together or not at all.
 */
@Injectable()
export class QualificationService {
  constructor(private readonly outbox: WebhookOutbox) {}

  /**
   * Types the answers, evaluates the rules, and queues `lead.qualified` when the lead qualifies
   * and the campaign has a webhook. The caller stores the typed answers and the verdict on the
   * attempt and the lead in the same transaction (the dialler's finalisation does it in the
   * statement that ends the lead); the passed entities are updated too.
   */
  async qualify(
    tx: EntityManager,
    campaign: Campaign,
    lead: Lead,
    attempt: CallAttempt,
    postCallAnswers: unknown[],
  ): Promise<LeadAnswers> {
    const questions = questionInfos(campaign.questions);
    const answers = typeAnswers(postCallAnswers, questions);
    const qualified = evaluateQualification(campaign.qualification, answers, questions);
    if (attempt?.id) attempt.answers = answers;
    lead.answers = answers;
    lead.qualified = qualified;
    if (qualified === true && campaign.webhookUrl) {
      await this.outbox.enqueue(tx, {
        campaignId: campaign.id,
        leadId: lead.id,
        type: 'lead.qualified',
        dedupeKey: `lead.qualified:${lead.id}:${attempt?.id ?? 'none'}`,
        payload: {
          campaign: { id: campaign.id, name: campaign.name },
          lead: {
            id: lead.id,
            phone: lead.phone,
            variables: lead.variables ?? {},
            answers,
            qualified: true,
            attempt: attempt?.attemptNumber ?? null,
            call_id: attempt?.callId ?? null,
            call_status: attempt?.callStatus ?? null,
            duration_seconds: numberOrNull(attempt?.durationSeconds),
            cost: numberOrNull(attempt?.cost),
            call_ended_at: attempt?.endedAt ? new Date(attempt.endedAt).toISOString() : null,
          },
        },
      });
    }
    return { answers, qualified };
  }

  /** Queues `campaign.completed` with the campaign's headline figures, when it has a webhook. */
  async onCampaignCompleted(tx: EntityManager, campaign: Campaign): Promise<void> {
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

function numberOrNull(v: string | number | null | undefined): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function iso(d: Date | null | undefined): string | null {
  return d ? new Date(d).toISOString() : null;
}
