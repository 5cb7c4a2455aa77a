import { BadRequestException, ConflictException, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { CLOCK, type Clock } from '../core/runtime';
import { normalizePhone } from '../leads/csv/phone-normalizer';
import type {
  ErasureResultDto,
  ExportedLeadDto,
  ExportedWebhookEventDto,
  PersonExportDto,
} from './dto/privacy.dto';

const SLOT_STATES = `('starting', 'ambiguous', 'live')`;
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/**
 * The rights of the people we call (GDPR): access (everything held about a number) and erasure
 * (their personal data removed everywhere; kept: a do-not-call entry, so that they are never
 * called again, and the lead rows' statuses and figures, so that campaign totals stay right).
 * Both are audited, in the same transaction.
 */
@Injectable()
export class PrivacyService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  async erase(rawPhone: string): Promise<ErasureResultDto> {
    const phone = e164(rawPhone);
    return this.db.transaction(async (tx) => {
      const now = this.clock.now();
      // Locking the leads keeps the dialler (FOR UPDATE SKIP LOCKED) from claiming one meanwhile.
      const leads: { id: string; campaign_id: string }[] = await tx.query(
        `SELECT id, campaign_id FROM leads WHERE phone = $1 ORDER BY id FOR UPDATE`,
        [phone],
      );
      const ids = leads.map((l) => l.id);
      const [{ live }]: { live: number }[] = await tx.query(
        `SELECT count(*)::int AS live FROM call_attempts WHERE to_number = $1 AND state IN ${SLOT_STATES}`,
        [phone],
      );
      if (live > 0)
        throw new ConflictException(
          'A call to this number is in progress: erase it once the call has ended (in a few minutes)',
        );
      const [listed]: { inserted: boolean }[] = await tx.query(
        `INSERT INTO suppressions (phone, reason) VALUES ($1, 'erased')
         ON CONFLICT (phone) DO UPDATE SET reason = 'erased'
         RETURNING (xmax = 0) AS inserted`,
        [phone],
      );
      // UPDATE and DELETE answer [rows, count] through TypeORM.
      const count = async (sql: string, params: unknown[] = [ids, now]): Promise<number> =>
        ids.length === 0 ? 0 : (await tx.query<[unknown[], number]>(sql, params))[1];
      const removed = await count(
        `DELETE FROM webhook_events WHERE lead_id = ANY($1::uuid[]) AND status <> 'delivered'`,
        [ids],
      );
      const emptied = await count(
        `UPDATE webhook_events SET payload = jsonb_build_object('erased', true, 'lead_id', lead_id), updated_at = $2
          WHERE lead_id = ANY($1::uuid[]) AND status = 'delivered'`,
      );
      const attempts = await count(
        `UPDATE call_attempts SET to_number = 'erased:' || lead_id, post_call_answers = NULL, answers = NULL,
                error = NULL, updated_at = $2
          WHERE lead_id = ANY($1::uuid[])`,
      );
      await count(
        `UPDATE leads SET phone = 'erased:' || id, variables = '{}', answers = NULL, timezone = NULL,
                consent_at = NULL, consent_source = NULL, contact_type = NULL,
                status = CASE WHEN status IN ('pending', 'retry_scheduled') THEN 'suppressed' ELSE status END,
                status_reason = CASE WHEN status IN ('pending', 'retry_scheduled') THEN 'erased' ELSE status_reason END,
                next_attempt_at = NULL, erased_at = $2, updated_at = $2
          WHERE id = ANY($1::uuid[])`,
      );
      // Test calls to the number, and rejected import rows holding it: such a row was rejected,
      // so its number may be written any way; it is matched on its last nine digits.
      const testCalls = (
        await tx.query<[unknown[], number]>(
          `UPDATE test_calls SET to_number = 'erased', variables = '{}', answers = NULL, updated_at = $2
          WHERE to_number = $1`,
          [phone, now],
        )
      )[1];
      // Refusals heard on its calls: the do-not-call entry above now keeps the number from calls.
      await tx.query(`DELETE FROM contact_refusals WHERE phone = $1`, [phone]);
      const rejectedRows = (
        await tx.query<[unknown[], number]>(
          `DELETE FROM lead_import_rejects r
          WHERE EXISTS (SELECT 1 FROM jsonb_array_elements_text(r.cells) c
                         WHERE length(regexp_replace(c, '\\D', '', 'g')) >= 6
                           AND right(regexp_replace(c, '\\D', '', 'g'), 9) = right($1, 9))`,
          [phone.replace(/\D/g, '')],
        )
      )[1];
      const result: ErasureResultDto = {
        phone,
        leads_erased: ids.length,
        campaigns: new Set(leads.map((l) => l.campaign_id)).size,
        call_attempts_erased: attempts,
        webhook_events_removed: removed,
        webhook_events_emptied: emptied,
        test_calls_erased: testCalls,
        rejected_rows_removed: rejectedRows,
        do_not_call: listed.inserted ? 'added' : 'already_listed',
      };
      const { phone: _p, ...counts } = result;
      await this.audit.record(tx, {
        action: 'privacy.erase',
        targetType: 'phone',
        targetId: phone,
        summary: { ...counts, lead_ids: ids },
      });
      return result;
    });
  }

  async export(rawPhone: string): Promise<PersonExportDto> {
    const phone = e164(rawPhone);
    return this.db.transaction('REPEATABLE READ', async (tx) => {
      const result = await this.collect(tx, phone);
      await this.audit.record(tx, {
        action: 'privacy.export',
        targetType: 'phone',
        targetId: phone,
        summary: { leads: result.leads.length, webhook_events: result.webhook_events.length },
      });
      return result;
    });
  }

  private async collect(tx: EntityManager, phone: string): Promise<PersonExportDto> {
    const [dnc]: { reason: string | null; created_at: Date }[] = await tx.query(
      `SELECT reason, created_at FROM suppressions WHERE phone = $1`,
      [phone],
    );
    const leads: ExportedLeadDto[] = await tx.query(
      `SELECT l.id, json_build_object('id', c.id, 'name', c.name) AS campaign, l.status, l.status_reason,
              l.variables, l.timezone, l.answers, l.qualified, l.attempts, l.last_call_id, l.last_call_status,
              l.created_at, l.updated_at,
              coalesce((SELECT json_agg(json_build_object(
                  'attempt_number', a.attempt_number, 'call_id', a.call_id, 'from_number', a.from_number,
                  'state', a.state, 'outcome', a.outcome, 'call_status', a.call_status,
                  'requested_at', a.requested_at, 'started_at', a.started_at, 'ended_at', a.ended_at,
                  'duration_seconds', a.duration_seconds, 'cost', a.cost, 'answers', a.answers,
                  'post_call_answers', a.post_call_answers) ORDER BY a.attempt_number)
                FROM call_attempts a WHERE a.lead_id = l.id), '[]') AS calls
         FROM leads l JOIN campaigns c ON c.id = l.campaign_id
        WHERE l.phone = $1 ORDER BY l.created_at, l.id`,
      [phone],
    );
    const ids = leads.map((l) => l.id);
    const events: ExportedWebhookEventDto[] = ids.length
      ? await tx.query(
          `SELECT id, campaign_id, lead_id, type, status, created_at, delivered_at, payload AS data
             FROM webhook_events WHERE lead_id = ANY($1::uuid[]) ORDER BY created_at, id`,
          [ids],
        )
      : [];
    return {
      phone,
      exported_at: this.clock.now().toISOString(),
      do_not_call: dnc ? { reason: dnc.reason, created_at: iso(dnc.created_at)! } : null,
      leads,
      webhook_events: events,
    };
  }
}

function e164(raw: string): string {
  const phone = normalizePhone(raw);
  if (!phone.ok) {
    throw new BadRequestException({
      message: `phone must be an E.164 number such as +33612345678: ${phone.message}`,
      details: [{ field: 'phone', message: phone.message }],
    });
  }
  return phone.e164;
}
