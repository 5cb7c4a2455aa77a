import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Qualification } from '../qualification/rules';
import type { CallingWindow } from '../windows/calling-window';
import type { ComplianceSettings } from '../compliance/compliance-settings';

export const CAMPAIGN_STATUSES = [
  'draft',
  'scheduled',
  'running',
  'paused',
  'completed',
  'cancelled',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** One retry rule: calls per lead at most (the first included) and minutes between them. */
export interface RetryRule {
  max_attempts: number;
  delay_minutes: number;
}

export interface RetryPolicy extends RetryRule {
  on: string[];
  /** Rules by outcome (missed, failed, unknown): an outcome with a rule is always retried by it. */
  by_outcome?: Partial<Record<'missed' | 'failed' | 'unknown', RetryRule>>;
  /** Rules by platform status (lower case), ahead of the outcome's rule. */
  by_status?: Record<string, RetryRule>;
}

/** The circuit breaker: pause when this share of the calls started in the window failed at the platform. */
export interface AutoPause {
  failure_rate: number;
  window_minutes: number;
  min_calls: number;
}

/** Why a campaign is paused: by hand, or by one of the controls. */
export const PAUSED_REASONS = [
  'manual',
  'budget_reached',
  'failure_rate',
  'platform_auth',
  'platform_rejected',
] as const;
export type PausedReason = (typeof PAUSED_REASONS)[number];

@Entity({ name: 'campaigns' })
export class Campaign {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column({ name: 'agent_id', type: 'uuid' }) agentId: string;
  @Column({ name: 'from_numbers', type: 'text', array: true }) fromNumbers: string[];
  @Column('text') timezone: string;
  @Column({ name: 'calling_window', type: 'jsonb' }) callingWindow: CallingWindow;
  @Column({ name: 'max_concurrent_calls', type: 'int' }) maxConcurrentCalls: number;
  @Column({ name: 'max_calls_per_minute', type: 'int' }) maxCallsPerMinute: number;
  @Column({ type: 'jsonb' }) retry: RetryPolicy;
  @Column({ type: 'jsonb', nullable: true }) schedule: { cron: string } | null;
  @Column({ name: 'default_country', type: 'text', nullable: true }) defaultCountry: string | null;
  @Column({ type: 'jsonb', nullable: true }) qualification: Qualification | null;
  /** Which calling laws apply and how (docs/COMPLIANCE.md). */
  @Column({ type: 'jsonb' })
  compliance: ComplianceSettings;
  /** Campaign-wide dynamic variables, sent with every call (a lead's own columns win). */
  @Column({ type: 'jsonb', default: () => "'{}'" }) variables: Record<string, string>;
  /** The agent's post-call questions as fetched from the platform. */
  @Column({ type: 'jsonb', nullable: true }) questions: unknown[] | null;
  @Column({ name: 'questions_fetched_at', type: 'timestamptz', nullable: true })
  questionsFetchedAt: Date | null;
  @Column({ name: 'webhook_url', type: 'text', nullable: true }) webhookUrl: string | null;
  @Column({ name: 'webhook_secret', type: 'text', nullable: true }) webhookSecret: string | null;
  @Column({ type: 'text', default: 'draft' }) status: CampaignStatus;
  /** While paused: the status `resume` returns to (`running` or `scheduled`). */
  @Column({ name: 'paused_from', type: 'text', nullable: true }) pausedFrom:
    'running' | 'scheduled' | null;
  /** Schedule fires at or before this instant are not run (set on start, resume, re-schedule, end of a run). */
  @Column({ name: 'schedule_from', type: 'timestamptz', nullable: true }) scheduleFrom: Date | null;
  /** No call starts at or after this instant; the leads still waiting then expire. */
  @Column({ name: 'ends_at', type: 'timestamptz', nullable: true }) endsAt: Date | null;
  /** Calls started per day in the campaign's time zone (null: no cap). */
  @Column({ name: 'max_calls_per_day', type: 'int', nullable: true }) maxCallsPerDay: number | null;
  /** Spend at which starts stop and the campaign pauses (null: no budget). */
  @Column({ name: 'max_cost', type: 'numeric', nullable: true }) maxCost: string | null;
  /** The circuit breaker, or false when off. */
  @Column({ name: 'auto_pause', type: 'jsonb' }) autoPause: AutoPause | false;
  @Column({ name: 'paused_reason', type: 'text', nullable: true })
  pausedReason: PausedReason | null;
  /** The figures behind an automatic pause (spend, failure share...). */
  @Column({ name: 'paused_detail', type: 'jsonb', nullable: true }) pausedDetail: Record<
    string,
    unknown
  > | null;
  /** The last resume: the circuit breaker counts only calls started since. */
  @Column({ name: 'resumed_at', type: 'timestamptz', nullable: true }) resumedAt: Date | null;
  /** Round-robin position over from_numbers, shared by every instance. */
  @Column({ name: 'next_from_index', type: 'int', default: 0 }) nextFromIndex: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @Column({ name: 'started_at', type: 'timestamptz', nullable: true }) startedAt: Date | null;
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true }) completedAt: Date | null;
}
