import { ApiProperty } from '@nestjs/swagger';
import type { DataSource, EntityManager } from 'typeorm';
import { SLOT_STATES_SQL } from '../common/attempt-states';
import {
  DIALABLE_LEAD_STATUSES_SQL,
  FINAL_LEAD_STATUSES_SQL,
  UNREACHED_LEAD_STATUSES_SQL,
} from '../leads/lead-statuses';

/**
 * Where a campaign's leads stand. `total` = pending + in_progress + completed + failed +
 * suppressed + cancelled + expired: `pending` counts every lead waiting for a call (never called yet, or
 * waiting for a retry: `retry_scheduled` is the part of it that waits for a retry) and `failed`
 * counts the leads that ended unreached (`exhausted` is the part of it that used every attempt).
 */
export class CampaignProgress {
  @ApiProperty({ type: 'integer', description: 'Every lead of the campaign.' }) total: number;
  @ApiProperty({
    type: 'integer',
    description: 'Waiting for a call: status pending or retry_scheduled.',
  })
  pending: number;
  @ApiProperty({ type: 'integer', description: 'Being called now (status calling).' })
  in_progress: number;
  @ApiProperty({ type: 'integer', description: 'Reached: status completed.' }) completed: number;
  @ApiProperty({ type: 'integer', description: 'Ended unreached: status failed or exhausted.' })
  failed: number;
  @ApiProperty({ type: 'integer', description: 'Leads whose answers met the qualification rules.' })
  qualified: number;
  @ApiProperty({ type: 'integer', description: 'Leads whose answers did not meet the rules.' })
  not_qualified: number;
  @ApiProperty({ type: 'integer', description: 'Part of pending: waiting for a retry.' })
  retry_scheduled: number;
  @ApiProperty({ type: 'integer', description: 'Part of failed: every attempt used.' })
  exhausted: number;
  @ApiProperty({ type: 'integer', description: 'On the do-not-call list.' }) suppressed: number;
  @ApiProperty({ type: 'integer', description: 'Cancelled with the campaign.' }) cancelled: number;
  @ApiProperty({
    type: 'integer',
    description: 'Still waiting when the campaign’s end date (ends_at) passed.',
  })
  expired: number;
  @ApiProperty({
    type: 'integer',
    description:
      'Leads in a final status (completed, failed, exhausted, suppressed, cancelled, expired).',
  })
  final: number;
  @ApiProperty({
    type: 'integer',
    description: 'Platform calls in progress (holding a concurrency slot).',
  })
  live_calls: number;
}

const EMPTY: CampaignProgress = {
  total: 0,
  pending: 0,
  in_progress: 0,
  completed: 0,
  failed: 0,
  qualified: 0,
  not_qualified: 0,
  retry_scheduled: 0,
  exhausted: 0,
  suppressed: 0,
  cancelled: 0,
  expired: 0,
  final: 0,
  live_calls: 0,
};

/** The progress of several campaigns in one statement: one pass over their leads and live attempts. */
export async function loadProgress(
  db: DataSource | EntityManager,
  campaignIds: string[],
): Promise<Map<string, CampaignProgress>> {
  const out = new Map<string, CampaignProgress>();
  if (campaignIds.length === 0) return out;
  const rows: (Record<keyof CampaignProgress, string> & { id: string })[] = await db.query(
    `WITH l AS (
       SELECT campaign_id,
              count(*) AS total,
              count(*) FILTER (WHERE status IN ${DIALABLE_LEAD_STATUSES_SQL}) AS pending,
              count(*) FILTER (WHERE status = 'calling') AS in_progress,
              count(*) FILTER (WHERE status = 'completed') AS completed,
              count(*) FILTER (WHERE status IN ${UNREACHED_LEAD_STATUSES_SQL}) AS failed,
              count(*) FILTER (WHERE qualified) AS qualified,
              count(*) FILTER (WHERE NOT qualified) AS not_qualified,
              count(*) FILTER (WHERE status = 'retry_scheduled') AS retry_scheduled,
              count(*) FILTER (WHERE status = 'exhausted') AS exhausted,
              count(*) FILTER (WHERE status = 'suppressed') AS suppressed,
              count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
              count(*) FILTER (WHERE status = 'expired') AS expired,
              count(*) FILTER (WHERE status IN ${FINAL_LEAD_STATUSES_SQL}) AS final
         FROM leads WHERE campaign_id = ANY($1::uuid[]) GROUP BY campaign_id),
     a AS (
       SELECT campaign_id, count(*) AS live_calls
         FROM call_attempts
        WHERE campaign_id = ANY($1::uuid[]) AND state IN ${SLOT_STATES_SQL}
        GROUP BY campaign_id)
     SELECT ids.id, l.*, a.live_calls
       FROM unnest($1::uuid[]) AS ids(id)
       LEFT JOIN l ON l.campaign_id = ids.id
       LEFT JOIN a ON a.campaign_id = ids.id`,
    [campaignIds],
  );
  for (const row of rows) {
    const progress = { ...EMPTY };
    for (const key of Object.keys(EMPTY) as (keyof CampaignProgress)[])
      progress[key] = Number(row[key] ?? 0);
    out.set(row.id, progress);
  }
  return out;
}
