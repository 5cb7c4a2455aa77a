import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const WEBHOOK_EVENT_TYPES = [
  'lead.qualified',
  'campaign.completed',
  'campaign.paused',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export type WebhookEventStatus = 'pending' | 'delivered' | 'failed';

/** One CRM event in the outbox: written with the verdict that caused it, delivered at least once. */
@Entity({ name: 'webhook_events' })
export class WebhookEvent {
  /** Also the `X-Webhook-Id` header, for the receiver's de-duplication. */
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'campaign_id', type: 'uuid' }) campaignId: string;
  @Column({ name: 'lead_id', type: 'uuid', nullable: true }) leadId: string | null;
  @Column('text') type: WebhookEventType;
  /** Makes a second enqueue of the same fact a no-op. */
  @Column({ name: 'dedupe_key', type: 'text', unique: true }) dedupeKey: string;
  /** The event's `data`. */
  @Column({ type: 'jsonb' }) payload: Record<string, unknown>;
  @Column({ type: 'text', default: 'pending' }) status: WebhookEventStatus;
  /** Delivery attempts started (counted when claimed, so a crash mid-attempt still counts). */
  @Column({ type: 'int', default: 0 }) attempts: number;
  @Column({ name: 'next_attempt_at', type: 'timestamptz' }) nextAttemptAt: Date;
  /** A worker holds the event until then; a crashed worker's claim simply runs out. */
  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true }) lockedUntil: Date | null;
  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @Column({ name: 'last_status_code', type: 'int', nullable: true }) lastStatusCode: number | null;
  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true }) deliveredAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
