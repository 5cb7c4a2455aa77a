import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { queryRows } from '../common/sql';
import { CLOCK, type Clock } from '../core/runtime';
import { Campaign } from './campaign.entity';
import { CampaignsService } from './campaigns.service';
import { REQUEUE_STATUSES, type RequeueDto, type RequeueResult } from './dto/requeue.dto';

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

  /** One lead (`POST …/leads/{leadId}/requeue`): refused unless it is in a requeue status. */
  requeueLead(id: string, leadId: string, extraAttempts: number): Promise<RequeueResult> {
    return this.requeue(
      id,
      { statuses: [...REQUEUE_STATUSES], extra_attempts: extraAttempts },
      leadId,
    );
  }

  async requeue(id: string, dto: RequeueDto, leadId?: string): Promise<RequeueResult> {
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
      if (leadId) await this.assertLeadRequeueable(tx, c.id, leadId);
      const moved = await queryRows<{ before: string; n: number }>(
        tx,
        `WITH m AS (
           UPDATE leads l SET status = CASE WHEN l.attempts > 0 THEN 'retry_scheduled' ELSE 'pending' END,
                  attempt_limit = l.attempts + $3, next_attempt_at = NULL,
                  status_reason = $4, updated_at = now()
             FROM (SELECT id, status AS before FROM leads
                    WHERE campaign_id = $1 AND status = ANY($2::text[])
                      AND ($5::uuid IS NULL OR id = $5) FOR UPDATE) o
            WHERE l.id = o.id
            RETURNING o.before)
         SELECT before, count(*)::int AS n FROM m GROUP BY before`,
        [
          c.id,
          dto.statuses,
          dto.extra_attempts,
          `requeued with ${dto.extra_attempts} more attempt(s)`,
          leadId ?? null,
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
          ...(leadId ? { lead_id: leadId } : {}),
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

  private async assertLeadRequeueable(
    tx: EntityManager,
    campaignId: string,
    leadId: string,
  ): Promise<void> {
    const [lead] = await queryRows<{ status: string }>(
      tx,
      `SELECT status FROM leads WHERE id = $1 AND campaign_id = $2 FOR UPDATE`,
      [leadId, campaignId],
    );
    if (!lead) throw new NotFoundException(`Lead ${leadId} not found in campaign ${campaignId}`);
    if (!(REQUEUE_STATUSES as readonly string[]).includes(lead.status)) {
      throw new ConflictException(
        `lead is ${lead.status}: only ${REQUEUE_STATUSES.join(', ')} leads can be called again`,
      );
    }
  }
}
