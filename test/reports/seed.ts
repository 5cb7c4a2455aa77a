import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { CallAttempt } from '../../src/engine/attempts/call-attempt.entity';
import { Lead } from '../../src/leads/lead.entity';
import { QualificationService } from '../../src/qualification/qualification.service';
import { HAIR_SALON_FR_SCENARIO } from '../../src/simulator';
import { insertCampaignRow } from '../kit/factories';

/** The hair-salon agent's questions, in the shape GET /agents/{id}/post-call-questions answers. */
export const AGENT = HAIR_SALON_FR_SCENARIO.agents[0];
export const PLATFORM_QUESTIONS = AGENT.post_call_questions.map((q) => ({
  id: q.id,
  agent_id: AGENT.id,
  name: q.name,
  description: q.description,
  type: q.type,
  optional: q.optional,
  options: (q.options ?? []).map((o) => ({ id: o.id, value: o.value })),
  is_active: true,
}));

export async function insertCampaign(
  db: DataSource,
  fields: Partial<{
    name: string;
    qualification: unknown;
    questions: unknown[] | null;
    webhook_url: string | null;
    webhook_secret: string | null;
    status: string;
  }> = {},
): Promise<Campaign> {
  const id = await insertCampaignRow(db, {
    name: fields.name ?? 'Relance salons novembre',
    agent_id: AGENT.id,
    from_numbers: ['+33912345678'],
    calling_window: { days: ['mon'], hours: [{ start: '09:00', end: '18:00' }] },
    retry: { max_attempts: 3, delay_minutes: 60, on: ['missed', 'failed'] },
    qualification: fields.qualification ?? null,
    questions: fields.questions === undefined ? PLATFORM_QUESTIONS : fields.questions,
    webhook_url: fields.webhook_url ?? null,
    webhook_secret: fields.webhook_secret ?? null,
    status: fields.status ?? 'running',
    started_at: new Date(),
  });
  return db.getRepository(Campaign).findOneByOrFail({ id });
}

export interface SeedAttempt {
  outcome: 'completed' | 'missed' | 'failed' | 'unknown' | 'not_dialled';
  cost?: number;
  duration?: number;
  /** Raw post-call answers, for completed calls. */
  answers?: unknown[];
}

export interface SeedLead {
  phone: string;
  variables?: Record<string, string>;
  status: string;
  attempts?: SeedAttempt[];
  /** Leave leads.last_call_* empty (the report then reads the attempts). */
  noLastCall?: boolean;
}

let callCounter = 0;

/**
 * Writes a lead and its attempts as the engine would, then, for its last completed call, runs
 * QualificationService.qualify inside a transaction and stores its verdict, as the dialer does.
 */
export async function seedLead(app: INestApplication, campaign: Campaign, seed: SeedLead): Promise<Lead> {
  const db = app.get(DataSource);
  const attempts = seed.attempts ?? [];
  const [{ id: leadId }] = await db.query(
    `INSERT INTO leads (campaign_id, phone, variables, status, attempts) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [campaign.id, seed.phone, JSON.stringify(seed.variables ?? {}), seed.status, attempts.filter((a) => a.outcome !== 'not_dialled').length],
  );
  let lastCompleted: { attemptId: string; answers: unknown[] } | null = null;
  let last: { callId: string; status: string; outcome: string } | null = null;
  for (const [i, a] of attempts.entries()) {
    const dialled = a.outcome !== 'not_dialled';
    const callId = dialled ? `call-${++callCounter}-${leadId.slice(0, 8)}` : null;
    const status = a.outcome === 'unknown' ? 'voicemail' : a.outcome;
    const [{ id }] = await db.query(
      `INSERT INTO call_attempts (lead_id, campaign_id, attempt_number, agent_id, from_number, to_number, state,
                                  call_id, call_status, outcome, requested_at, ended_at, duration_seconds, cost, post_call_answers)
       VALUES ($1, $2, $3, $4, '+33912345678', $5, $6, $7, $8, $9, now(), now(), $10, $11, $12) RETURNING id`,
      [
        leadId,
        campaign.id,
        i + 1,
        AGENT.id,
        seed.phone,
        dialled ? 'ended' : 'not_dialled',
        callId,
        dialled ? status : null,
        dialled ? a.outcome : null,
        a.duration ?? (dialled ? 0 : null),
        a.cost ?? (dialled ? 0 : null),
        a.answers ? JSON.stringify(a.answers) : null,
      ],
    );
    if (dialled) last = { callId: callId as string, status, outcome: a.outcome };
    if (a.outcome === 'completed') lastCompleted = { attemptId: id, answers: a.answers ?? [] };
  }
  if (last && !seed.noLastCall) {
    await db.query(`UPDATE leads SET last_call_id = $2, last_call_status = $3, outcome = $4 WHERE id = $1`, [
      leadId,
      last.callId,
      last.status,
      last.outcome,
    ]);
  }
  if (lastCompleted) {
    const done = lastCompleted;
    await db.transaction(async (tx) => {
      const lead = await tx.getRepository(Lead).findOneByOrFail({ id: leadId });
      const attempt = await tx.getRepository(CallAttempt).findOneByOrFail({ id: done.attemptId });
      const verdict = await app.get(QualificationService).qualify(tx, campaign, lead, attempt, done.answers);
      // Stored as the dialler's finalisation stores them.
      await tx.query(`UPDATE call_attempts SET answers = $2::jsonb WHERE id = $1`, [attempt.id, JSON.stringify(verdict.answers)]);
      await tx.query(`UPDATE leads SET answers = $2::jsonb, qualified = $3 WHERE id = $1`, [
        leadId,
        JSON.stringify(verdict.answers),
        verdict.qualified,
      ]);
    });
  }
  return db.getRepository(Lead).findOneByOrFail({ id: leadId });
}

/** A raw post-call answer as the platform sends it, for one of the agent's questions. */
export function rawAnswer(name: string, value: boolean | number | string | string[] | null) {
  const q = AGENT.post_call_questions.find((x) => x.name === name);
  if (!q) throw new Error(`no question ${name}`);
  const item = {
    id: `ans-${name}-${Math.random().toString(36).slice(2, 8)}`,
    question: { id: q.id, name: q.name, description: q.description, question_type: q.type, is_optional: q.optional },
    has_answer: value !== null,
    answer_text: null as string | null,
    answer_number: null as number | null,
    answer_boolean: null as boolean | null,
    selected_options: [] as { option: { id: string; value: string } }[],
  };
  if (value === null) return item;
  const option = (v: string) => {
    const o = (q.options ?? []).find((x) => x.value === v);
    return { option: { id: o?.id ?? `unknown-${v}`, value: v } };
  };
  if (q.type === 'boolean') item.answer_boolean = value as boolean;
  else if (q.type === 'number') item.answer_number = value as number;
  else if (q.type === 'text') item.answer_text = value as string;
  else if (q.type === 'single_choice') item.selected_options = [option(value as string)];
  else item.selected_options = (value as string[]).map(option);
  return item;
}

/** All six answers of the hair-salon agent; `undefined` leaves a question out of the payload. */
export function salonAnswers(a: {
  interested?: boolean | null;
  nb_employes?: number | null;
  logiciel_actuel?: string | null;
  services?: string[] | null;
  rappel_souhaite?: boolean | null;
  commentaire?: string | null;
}): unknown[] {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([name, v]) => rawAnswer(name, v as never));
}
