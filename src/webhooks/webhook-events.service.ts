import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { CLOCK } from '../core/runtime';
import type { Clock } from '../core/runtime';
import type {
  WebhookEventDto,
  WebhookEventPageDto,
  WebhookEventsQuery,
} from './dto/webhook-events.dto';

interface EventRow {
  id: string;
  type: string;
  lead_id: string | null;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
  payload: Record<string, unknown>;
}

const COLUMNS = `id, type, lead_id, status, attempts, next_attempt_at, last_attempt_at, last_status_code,
                 last_error, delivered_at, created_at, payload`;

/** What an operator sees of the CRM hand-off: each event and how its delivery went. */
@Injectable()
export class WebhookEventsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  async list(campaignId: string, q: WebhookEventsQuery): Promise<WebhookEventPageDto> {
    await this.assertCampaign(campaignId);
    const limit = q.limit ?? 100;
    const params: unknown[] = [campaignId, limit + 1];
    const where = ['campaign_id = $1'];
    if (q.status) where.push(`status = $${params.push(q.status)}`);
    if (q.type) where.push(`type = $${params.push(q.type)}`);
    if (q.cursor) {
      const [at, id] = decodeCursor(EVENTS_CURSOR_TAG, q.cursor, ['timestamp', 'uuid']);
      where.push(
        `(created_at, id) > ($${params.push(at)}::timestamptz, $${params.push(id)}::uuid)`,
      );
    }
    const rows: EventRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM webhook_events WHERE ${where.join(' AND ')} ORDER BY created_at, id LIMIT $2`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map(view),
      next_cursor:
        rows.length > limit
          ? encodeCursor(EVENTS_CURSOR_TAG, new Date(last.created_at).toISOString(), last.id)
          : null,
    };
  }

  /** Puts a failed event back in the queue, due now, with a fresh attempt budget. */
  async retry(campaignId: string, eventId: string): Promise<WebhookEventDto> {
    await this.assertCampaign(campaignId);
    const now = this.clock.now();
    const retried = await this.db.transaction(async (tx) => {
      const [rows] = await tx.query<[EventRow[], number]>(
        `UPDATE webhook_events
            SET status = 'pending', attempts = 0, next_attempt_at = $3, locked_until = NULL, updated_at = $3
          WHERE id = $1 AND campaign_id = $2 AND status = 'failed'
        RETURNING ${COLUMNS}`,
        [eventId, campaignId, now],
      );
      if (rows.length === 0) return undefined;
      await this.audit.record(tx, {
        action: 'webhook_event.retry',
        targetType: 'webhook_event',
        targetId: eventId,
        summary: { campaign_id: campaignId, type: rows[0].type },
      });
      return rows[0];
    });
    if (retried) return view(retried);
    const existing: { status: string }[] = await this.db.query(
      `SELECT status FROM webhook_events WHERE id = $1 AND campaign_id = $2`,
      [eventId, campaignId],
    );
    if (existing.length === 0)
      throw new NotFoundException(`Webhook event ${eventId} not found in this campaign`);
    throw new ConflictException(
      `Webhook event ${eventId} is ${existing[0].status}: only failed events can be retried`,
    );
  }

  private async assertCampaign(id: string): Promise<void> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM campaigns WHERE id = $1`, [id]);
    if (rows.length === 0) throw new NotFoundException(`Campaign ${id} not found`);
  }
}

function view(r: EventRow): WebhookEventDto {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: r.id,
    type: r.type,
    lead_id: r.lead_id,
    status: r.status,
    attempts: r.attempts,
    next_attempt_at: r.status === 'pending' ? iso(r.next_attempt_at) : null,
    last_attempt_at: iso(r.last_attempt_at),
    last_status_code: r.last_status_code,
    last_error: r.last_error,
    delivered_at: iso(r.delivered_at),
    created_at: new Date(r.created_at).toISOString(),
    data: r.payload,
  };
}

const EVENTS_CURSOR_TAG = 'webhook-events';
