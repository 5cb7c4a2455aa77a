import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { LeadStatus } from './lead-statuses';

@Entity({ name: 'leads' })
export class Lead {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** Insertion order, for stable listing and cursors. */
  @Column({ type: 'bigint', insert: false, update: false }) seq: string;
  @Column({ name: 'campaign_id', type: 'uuid' }) campaignId: string;
  @Column({ name: 'import_id', type: 'uuid', nullable: true }) importId: string | null;
  /** The spreadsheet row it came from (header = 1). */
  @Column({ name: 'row_number', type: 'int', nullable: true }) rowNumber: number | null;
  /** E.164. */
  @Column('text') phone: string;
  /** IANA zone from the file's `timezone` column, if any. */
  @Column({ type: 'text', nullable: true }) timezone: string | null;
  @Column({ type: 'jsonb', default: () => "'{}'" }) variables: Record<string, string>;
  @Column({ type: 'text', default: 'pending' }) status: LeadStatus;
  @Column({ type: 'int', default: 0 }) attempts: number;
  /** Calls allowed for this lead when above the retry policy's (a requeue raises it). */
  @Column({ name: 'attempt_limit', type: 'int', nullable: true }) attemptLimit: number | null;
  @Column({ name: 'last_call_id', type: 'text', nullable: true }) lastCallId: string | null;
  @Column({ name: 'last_call_status', type: 'text', nullable: true }) lastCallStatus: string | null;
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt: Date | null;
  /** The last attempt's outcome: completed, missed, failed, unknown. */
  @Column({ type: 'text', nullable: true }) outcome: string | null;
  /** Why the lead is waiting or ended as it did, in words (e.g. never inside the window). */
  @Column({ name: 'status_reason', type: 'text', nullable: true }) statusReason: string | null;
  /** Typed answers of the last completed call, by question name. */
  @Column({ type: 'jsonb', nullable: true }) answers: Record<string, unknown> | null;
  @Column({ type: 'boolean', nullable: true }) qualified: boolean | null;
  /** When the person consented to be called (the file's `consent_at`), the evidence the law asks for. */
  @Column({ name: 'consent_at', type: 'timestamptz', nullable: true }) consentAt: Date | null;
  /** Where that consent was given (form, contract, ...), from the file's `consent_source`. */
  @Column({ name: 'consent_source', type: 'text', nullable: true }) consentSource: string | null;
  /** `consumer` or `business` from the file; null: the campaign's compliance.contact_type. */
  @Column({ name: 'contact_type', type: 'text', nullable: true }) contactType:
    'consumer' | 'business' | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
