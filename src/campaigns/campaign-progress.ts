import { ApiProperty } from '@nestjs/swagger';
import type { DataSource, EntityManager } from 'typeorm';
import { SLOT_STATES_SQL } from '../common/attempt-states';
import { runAll } from '../common/queryable';
import {
  DIALABLE_LEAD_STATUSES,
  FINAL_LEAD_STATUSES,
  UNREACHED_LEAD_STATUSES,
} from '../leads/lead-statuses';
import { countersWithPrefix, readCounters, sumOf } from './campaign-counters';

/**
 * Where a campaign's leads stand. `total` = pending + in_progress + completed + failed +
 * suppressed + cancelled + expired + ineligible: `pending` counts every lead waiting for a call (never called yet, or
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
      'Never called because the law forbids it (e.g. a consumer without recorded consent): status ineligible, with its status_reason.',
  })
  ineligible: number;
  @ApiProperty({
    type: 'integer',
    description:
      'Leads in a final status (completed, failed, exhausted, suppressed, cancelled, expired, ineligible).',
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
  ineligible: 0,
  final: 0,
  live_calls: 0,
};

/**
 * The progress of several campaigns from their counters (never a pass over the leads) and the
 * slot rows of their live attempts (an index of at most the concurrency cap's rows per campaign).
 */
export async function loadProgress(
  db: DataSource | EntityManager,
  campaignIds: string[],
): Promise<Map<string, CampaignProgress>> {
  const out = new Map<string, CampaignProgress>();
  if (campaignIds.length === 0) return out;
  const [counters, live] = await runAll(db, [
    () => readCounters(db, campaignIds),
    () =>
      db.query<{ campaign_id: string; n: number }[]>(
        `SELECT campaign_id, count(*)::int AS n FROM call_attempts
          WHERE campaign_id = ANY($1::uuid[]) AND state IN ${SLOT_STATES_SQL}
          GROUP BY campaign_id`,
        [campaignIds],
      ),
  ]);
  const liveCalls = new Map(live.map((r) => [r.campaign_id, r.n]));
  for (const id of campaignIds) {
    const c = counters.get(id) ?? new Map<string, number>();
    const byStatus = countersWithPrefix(c, 'status:');
    out.set(id, {
      ...EMPTY,
      total: Object.values(byStatus).reduce((n, v) => n + v, 0),
      pending: sumOf(byStatus, DIALABLE_LEAD_STATUSES),
      in_progress: byStatus.calling ?? 0,
      completed: byStatus.completed ?? 0,
      failed: sumOf(byStatus, UNREACHED_LEAD_STATUSES),
      qualified: c.get('qualified:true') ?? 0,
      not_qualified: c.get('qualified:false') ?? 0,
      retry_scheduled: byStatus.retry_scheduled ?? 0,
      exhausted: byStatus.exhausted ?? 0,
      suppressed: byStatus.suppressed ?? 0,
      cancelled: byStatus.cancelled ?? 0,
      expired: byStatus.expired ?? 0,
      ineligible: byStatus.ineligible ?? 0,
      final: sumOf(byStatus, FINAL_LEAD_STATUSES),
      live_calls: liveCalls.get(id) ?? 0,
    });
  }
  return out;
}
