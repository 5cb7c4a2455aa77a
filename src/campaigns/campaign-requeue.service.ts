import { BadRequestException, ConflictException, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { queryRows } from '../common/sql';
import { CLOCK, type Clock } from '../core/runtime';
import { Campaign } from './campaign.entity';
import { CampaignsService } from './campaigns.service';
import type { RequeueDto, RequeueResult } from './dto/requeue.dto';

/**
 * "Call again those not reached": leads in the given final statuses go back to the queue with
 * extra attempts, in one transaction holding the campaign row. They then pass through the normal
 * claim, so the do-not-call list, calling windows and every cap apply as always. A completed
 * campaign with leads moved runs again (running, or scheduled when it has a schedule, as a start
 * would); a paused one stays paused, the others keep their status.
 */
@Injectable()
export class CampaignRequeue {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly campaigns: CampaignsService,
    private readonly audit: AuditTrail,
  ) {}

  async requeue(id: string, dto: RequeueDto): Promise<RequeueResult> {
    const now = this.clock.now();
    if (dto.ends_at && Date.parse(dto.ends_at) <= now.getTime()) {
      throw new BadRequestException({
        message: `ends_at must be in the future (got ${dto.ends_at})`,
        details: [
          { field: 'ends_at', message: `ends_at must be in the future (got ${dto.ends_at})` },
        ],
      });
    }
    const { campaign, byStatus } = await this.db.transaction(async (tx) => {
      const c = await this.campaigns.find(tx, id, true);
      if (c.status === 'cancelled' || c.status === 'draft') {
        throw new ConflictException(
          c.status === 'draft'
            ? 'campaign has not started yet: its leads are all still waiting'
            : 'campaign is cancelled: its leads can no longer be called',
        );
      }
      if (dto.ends_at !== undefined) c.endsAt = dto.ends_at ? new Date(dto.ends_at) : null;
      if (c.endsAt && c.endsAt.getTime() <= now.getTime()) {
        throw new ConflictException(
          `campaign ended at ${c.endsAt.toISOString()}: give a later ends_at to call its leads again`,
        );
      }
      const moved = await queryRows<{ before: string; n: number }>(
        tx,
        `WITH m AS (
           UPDATE leads l SET status = CASE WHEN l.attempts > 0 THEN 'retry_scheduled' ELSE 'pending' END,
                  attempt_limit = l.attempts + $3, next_attempt_at = NULL,
                  status_reason = $4, updated_at = now()
             FROM (SELECT id, status AS before FROM leads
                    WHERE campaign_id = $1 AND status = ANY($2::text[]) FOR UPDATE) o
            WHERE l.id = o.id
            RETURNING o.before)
         SELECT before, count(*)::int AS n FROM m GROUP BY before`,
        [
          c.id,
          dto.statuses,
          dto.extra_attempts,
          `requeued with ${dto.extra_attempts} more attempt(s)`,
        ],
      );
      const byStatus = Object.fromEntries(moved.map((r) => [r.before, r.n]));
      const total = moved.reduce((sum, r) => sum + r.n, 0);
      const from = c.status;
      if (total > 0 && c.status === 'completed') {
        c.status = c.schedule ? 'scheduled' : 'running';
        c.scheduleFrom = c.schedule ? now : null;
        c.completedAt = null;
      }
      const saved = await tx.getRepository(Campaign).save(c);
      await this.audit.record(tx, {
        action: 'campaign.requeue',
        targetType: 'campaign',
        targetId: c.id,
        summary: {
          statuses: dto.statuses,
          extra_attempts: dto.extra_attempts,
          moved: total,
          by_status: byStatus,
          status: { before: from, after: saved.status },
          ...(dto.ends_at !== undefined ? { ends_at: dto.ends_at } : {}),
        },
      });
      return { campaign: saved, byStatus };
    });
    const moved = Object.values(byStatus).reduce((sum, n) => sum + n, 0);
    return {
      moved,
      by_status: byStatus,
      campaign: await this.campaigns.view(campaign, this.db),
    };
  }
}
