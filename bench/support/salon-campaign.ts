import type { Client } from 'pg';
import { HAIR_SALON_FR_SCENARIO } from '../../src/simulator/scenarios/hair-salon.fr';

/** The simulator's hair-salon agent, whose questions the seeded answers follow. */
export const SALON_AGENT = HAIR_SALON_FR_SCENARIO.agents[0];

/** The agent's questions as the campaign stores them (the platform's shape). */
export function salonQuestions() {
  return SALON_AGENT.post_call_questions.map((q) => ({
    id: q.id,
    agent_id: SALON_AGENT.id,
    name: q.name,
    description: q.description,
    type: q.type,
    optional: q.optional,
    options: (q.options ?? []).map((o) => ({ id: o.id, value: o.value })),
  }));
}

/**
 * A campaign of the salon agent, inserted directly (the benchmarks measure reads): `running`
 * since now, or `completed` now after two days. Answers its id.
 */
export async function insertSalonCampaign(
  sql: Client,
  campaign: { name: string; status: 'running' | 'completed'; qualification: object },
): Promise<string> {
  const completed = campaign.status === 'completed';
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO campaigns (name, agent_id, from_numbers, calling_window, retry, qualification, questions,
                            status, started_at, completed_at)
     VALUES ($1, $2, ARRAY['+33912345678'], '{"days":["mon"],"hours":[{"start":"09:00","end":"18:00"}]}',
             '{"max_attempts":2,"delay_minutes":60,"on":["missed","failed"]}', $3, $4, $5,
             now() - CASE WHEN $6 THEN interval '2 days' ELSE interval '0' END,
             CASE WHEN $6 THEN now() END)
     RETURNING id`,
    [
      campaign.name,
      SALON_AGENT.id,
      JSON.stringify(campaign.qualification),
      JSON.stringify(salonQuestions()),
      campaign.status,
      completed,
    ],
  );
  return rows[0].id;
}
