import type { Queryable } from '../common/queryable';
import { complianceOf, type ComplianceSettings } from './compliance-settings';

export interface AnsweredCall {
  phone: string;
  campaignId: string;
  callId: string | null;
  at: Date;
}

/** What the person said on the call, as the law reads it: yes to the refusal or opt-out question. */
function saidYes(answers: Record<string, unknown>, question: string | null): boolean {
  return question !== null && answers[question] === true;
}

/**
 * Records, in the transaction that completes the lead, a refusal (every campaign then waits the
 * law's cool-down before calling the number: contact_refusals) and an opt-out (the number goes
 * on the do-not-call list, with its reason and the call it came from).
 */
export async function recordCallAnswers(
  tx: Queryable,
  stored: Partial<ComplianceSettings> | null,
  answers: Record<string, unknown>,
  call: AnsweredCall,
): Promise<void> {
  const settings = complianceOf(stored);
  const source = JSON.stringify({ campaign_id: call.campaignId, call_id: call.callId });
  if (saidYes(answers, settings.refusal_question)) {
    await tx.query(
      `INSERT INTO contact_refusals (phone, refused_at, campaign_id, call_id) VALUES ($1, $2, $3, $4)`,
      [call.phone, call.at, call.campaignId, call.callId],
    );
  }
  if (saidYes(answers, settings.opt_out_question)) {
    await tx.query(
      `INSERT INTO suppressions (phone, reason, source, created_at) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (phone) DO NOTHING`,
      [
        call.phone,
        `opt-out during the call (question ${settings.opt_out_question})`,
        source,
        call.at,
      ],
    );
  }
}
