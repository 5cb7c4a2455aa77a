import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { CLOCK, type Clock } from '../core/runtime';
import { LEAD_STATUSES } from '../leads/lead-statuses';
import { generateWebhookSecret } from '../webhooks/webhook-signature';
import { Campaign } from './campaign.entity';
import type { CampaignView } from './campaign.view';
import { CampaignsService } from './campaigns.service';
import type { CloneCampaignDto } from './dto/clone-campaign.dto';

/**
 * Copies the source's leads in the given statuses into the clone as fresh leads: only what the
 * file gave (number, time zone, variables, consent evidence), in the source's order; a number now on the
 * do-not-call list goes in `suppressed`. Counted into the clone's import record ($2).
 */
const COPY_LEADS = `
  WITH copied AS (
    INSERT INTO leads (campaign_id, import_id, phone, timezone, variables, consent_at, consent_source,
                       contact_type, status, status_reason)
    SELECT $1, $2, l.phone, l.timezone, l.variables, l.consent_at, l.consent_source, l.contact_type,
           CASE WHEN s.phone IS NULL THEN 'pending' ELSE 'suppressed' END,
           CASE WHEN s.phone IS NULL THEN NULL ELSE 'on the do-not-call list' END
      FROM leads l LEFT JOIN suppressions s ON s.phone = l.phone
     WHERE l.campaign_id = $3 AND l.status = ANY($4::text[])
     ORDER BY l.seq
    RETURNING status)
  SELECT count(*)::int AS copied, count(*) FILTER (WHERE status = 'suppressed')::int AS suppressed
    FROM copied`;

/** The variable keys of the source's imports, in their first import's order (the report's columns). */
const VARIABLE_KEYS = `
  SELECT k FROM (
    SELECT d.k, min(i.started_at) AS first_import, min(d.n) AS position
      FROM lead_imports i
     CROSS JOIN LATERAL jsonb_array_elements_text(
             CASE WHEN jsonb_typeof(i.options -> 'variable_keys') = 'array'
                  THEN i.options -> 'variable_keys' ELSE '[]'::jsonb END) WITH ORDINALITY AS d(k, n)
     WHERE i.campaign_id = $1
     GROUP BY d.k) keys
   ORDER BY first_import, position`;

/**
 * POST /v1/campaigns/{id}/clone: a new draft with the source's settings (agent, numbers, window,
 * caps, retries, schedule, default country, rules, variables, webhook URL with a new secret) and,
 * when asked, copies of its leads as fresh leads, recorded as one import "cloned from" the
 * source so that the clone's report keeps the columns' order.
 */
@Injectable()
export class CampaignCloner {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly campaigns: CampaignsService,
    private readonly audit: AuditTrail,
  ) {}

  async clone(sourceId: string, dto: CloneCampaignDto): Promise<CampaignView> {
    const statuses = statusesOf(dto.leads ?? 'none');
    let secret: string | undefined;
    const saved = await this.db.transaction(async (tx) => {
      const source = await this.campaigns.find(tx, sourceId);
      secret = source.webhookUrl ? generateWebhookSecret() : undefined;
      const repo = tx.getRepository(Campaign);
      const clone = await repo.save(
        repo.create({
          name: dto.name.trim(),
          agentId: source.agentId,
          fromNumbers: source.fromNumbers,
          timezone: source.timezone,
          callingWindow: source.callingWindow,
          maxConcurrentCalls: source.maxConcurrentCalls,
          maxCallsPerMinute: source.maxCallsPerMinute,
          retry: source.retry,
          schedule: source.schedule,
          defaultCountry: source.defaultCountry,
          qualification: source.qualification,
          compliance: source.compliance,
          variables: source.variables,
          questions: source.questions,
          questionsFetchedAt: source.questionsFetchedAt,
          webhookUrl: source.webhookUrl,
          webhookSecret: secret ?? null,
          // The caps and the breaker carry over; an end date belongs to the source's run.
          maxCallsPerDay: source.maxCallsPerDay,
          maxCost: source.maxCost,
          autoPause: source.autoPause,
          endsAt: null,
          status: 'draft',
          pausedFrom: null,
          scheduleFrom: null,
          startedAt: null,
          completedAt: null,
        }),
      );
      let copiedLeads = 0;
      if (statuses.length > 0) {
        const importId = randomUUID();
        const now = this.clock.now();
        const keys = await tx.query<{ k: string }[]>(VARIABLE_KEYS, [source.id]);
        await tx.query(
          `INSERT INTO lead_imports (id, campaign_id, file_name, status, options, started_at)
           VALUES ($1, $2, NULL, 'running', $3::jsonb, $4)`,
          [
            importId,
            clone.id,
            JSON.stringify({
              cloned_from: source.id,
              lead_statuses: statuses,
              variable_keys: keys.map((r) => r.k),
            }),
            now,
          ],
        );
        const [{ copied, suppressed }] = await tx.query<{ copied: number; suppressed: number }[]>(
          COPY_LEADS,
          [clone.id, importId, source.id, statuses],
        );
        await tx.query(
          `UPDATE lead_imports SET status = 'completed', rows = $2, accepted = $3, suppressed = $4, finished_at = $5
            WHERE id = $1`,
          [importId, copied, copied - suppressed, suppressed, this.clock.now()],
        );
        copiedLeads = copied;
      }
      await this.audit.record(tx, {
        action: 'campaign.clone',
        targetType: 'campaign',
        targetId: clone.id,
        summary: { cloned_from: source.id, lead_statuses: statuses, leads_copied: copiedLeads },
      });
      return clone;
    });
    return this.campaigns.view(saved, this.db, secret);
  }
}

function statusesOf(leads: NonNullable<CloneCampaignDto['leads']>): string[] {
  if (leads === 'none') return [];
  if (leads === 'all') return [...LEAD_STATUSES];
  return [...new Set(leads)];
}
