import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Lead } from '../leads/lead.entity';
import { WebhookOutbox } from '../webhooks/webhook-outbox.service';
import { typeAnswers, TypedAnswers } from './answer-typing';
import { questionInfos } from './question-kind';
import { evaluateQualification, type Qualification } from './rules';

/** What qualifying reads of a campaign (the campaign entity has these fields). */
export interface QualifyingCampaign {
  id: string;
  name: string;
  questions: unknown[] | null;
  qualification: Qualification | null;
  webhookUrl: string | null;
}

/** What qualifying reads of the attempt that got the answers, and the answers it sets on it. */
export interface QualifyingAttempt {
  id: string;
  attemptNumber: number;
  callId: string | null;
  callStatus: string | null;
  durationSeconds: string | number | null;
  cost: string | null;
  endedAt: Date | null;
  answers: Record<string, unknown> | null;
}

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
    campaign: QualifyingCampaign,
    lead: Lead,
    attempt: QualifyingAttempt,
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
}

function numberOrNull(v: string | number | null | undefined): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}
