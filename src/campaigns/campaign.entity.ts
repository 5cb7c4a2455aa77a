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

export interface RetryPolicy {
  max_attempts: number;
  delay_minutes: number;
  on: string[];
}

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
  /** Round-robin position over from_numbers, shared by every instance. */
  @Column({ name: 'next_from_index', type: 'int', default: 0 }) nextFromIndex: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
  @Column({ name: 'started_at', type: 'timestamptz', nullable: true }) startedAt: Date | null;
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true }) completedAt: Date | null;
}
