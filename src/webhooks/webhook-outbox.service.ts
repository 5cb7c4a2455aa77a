import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CLOCK } from '../core/runtime';
import type { Clock } from '../core/runtime';
import type { Queryable } from '../common/queryable';
import type { WebhookEventType } from './webhook-event.entity';

export interface NewWebhookEvent {
  campaignId: string;
  leadId?: string | null;
  type: WebhookEventType;
  /** The same fact enqueued twice (a replayed transaction, a second caller) is kept once. */
  dedupeKey: string;
  /** The event's `data`. */
  payload: Record<string, unknown>;
}

/**
 * Writes CRM events into the outbox table, inside the caller's transaction: the event exists if
 * and only if the verdict that caused it was committed. Delivery is the worker's job.
 */
@Injectable()
export class WebhookOutbox {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  /** The new event's id, or null when an event with the same dedupe key already exists. */
  async enqueue(tx: Queryable, event: NewWebhookEvent): Promise<string | null> {
    const now = this.clock.now();
    const rows = await tx.query<{ id: string }[]>(
      `INSERT INTO webhook_events (id, campaign_id, lead_id, type, dedupe_key, payload, next_attempt_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $7, $7)
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id`,
      [
        randomUUID(),
        event.campaignId,
        event.leadId ?? null,
        event.type,
        event.dedupeKey,
        JSON.stringify(event.payload),
        now,
      ],
    );
    return rows[0]?.id ?? null;
  }
}
