import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { AttemptState } from '../../common/attempt-states';

@Entity({ name: 'call_attempts' })
export class CallAttempt {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'lead_id', type: 'uuid' }) leadId: string;
  @Column({ name: 'campaign_id', type: 'uuid' }) campaignId: string;
  /**
   * 1, 2, 3… per lead, over every row including `not_dialled` ones (so it stays unique); the
   * lead's `attempts` counts only the rows that may have reached the platform.
   */
  @Column({ name: 'attempt_number', type: 'int' }) attemptNumber: number;
  @Column({ name: 'agent_id', type: 'uuid' }) agentId: string;
  @Column({ name: 'from_number', type: 'text' }) fromNumber: string;
  @Column({ name: 'to_number', type: 'text' }) toNumber: string;
  @Column({ type: 'text', default: 'starting' }) state: AttemptState;
  @Column({ name: 'call_id', type: 'text', nullable: true, unique: true }) callId: string | null;
  /** The platform's status string, as seen last (unknown values kept verbatim). */
  @Column({ name: 'call_status', type: 'text', nullable: true }) callStatus: string | null;
  /** completed, missed, failed, unknown, cancelled. */
  @Column({ type: 'text', nullable: true }) outcome: string | null;
  @Column({ name: 'requested_at', type: 'timestamptz' }) requestedAt: Date;
  @Column({ name: 'lease_owner', type: 'text', nullable: true }) leaseOwner: string | null;
  @Column({ name: 'lease_expires_at', type: 'timestamptz', nullable: true })
  leaseExpiresAt: Date | null;
  /** Until when an ambiguous start is searched for before it counts as never dialled. */
  @Column({ name: 'reconcile_until', type: 'timestamptz', nullable: true })
  reconcileUntil: Date | null;
  @Column({ name: 'started_at', type: 'timestamptz', nullable: true }) startedAt: Date | null;
  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true }) endedAt: Date | null;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt: Date | null;
  @Column({ name: 'duration_seconds', type: 'numeric', nullable: true }) durationSeconds:
    string | null;
  @Column({ type: 'numeric', nullable: true }) cost: string | null;
  /** Raw `post_call_answers` of the platform call. */
  @Column({ name: 'post_call_answers', type: 'jsonb', nullable: true }) postCallAnswers:
    unknown[] | null;
  /** Typed answers by question name (see qualification). */
  @Column({ type: 'jsonb', nullable: true }) answers: Record<string, unknown> | null;
  @Column({ type: 'text', nullable: true }) error: string | null;
  @Column({ name: 'last_polled_at', type: 'timestamptz', nullable: true })
  lastPolledAt: Date | null;
  /** Set once when the campaign was cancelled while the call was live: terminate sent (or due). */
  @Column({ name: 'terminate_requested_at', type: 'timestamptz', nullable: true })
  terminateRequestedAt: Date | null;
  /**
   * A completed call whose post-call answers were not ready yet: the slot is free (state `ended`)
   * but the lead waits in `calling` until the answers arrive or this instant passes.
   */
  @Column({ name: 'answers_due_until', type: 'timestamptz', nullable: true })
  answersDueUntil: Date | null;
  /** The platform failed this attempt (5xx, a 4xx other than 429, or outcome failed): the circuit breaker counts it. */
  @Column({ name: 'platform_failed', type: 'boolean', default: false }) platformFailed: boolean;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
