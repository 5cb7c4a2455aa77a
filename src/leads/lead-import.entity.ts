import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RowError } from './lead-row-mapper';

/** `completed`: leads committed. `aborted`: the client left mid-upload. `failed`: a server error. */
export type LeadImportStatus = 'running' | 'completed' | 'aborted' | 'failed';

/** What the service detected or was told, kept with the import for support. */
export interface LeadImportOptions {
  phone_column?: string;
  phone_column_reason?: string;
  delimiter?: string;
  encoding?: string;
  default_country?: string | null;
}

/** One upload of a lead file into a campaign. Rejected uploads (4xx) leave no record. */
@Entity({ name: 'lead_imports' })
export class LeadImport {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'campaign_id', type: 'uuid' }) campaignId: string;
  @Column({ name: 'file_name', type: 'text', nullable: true }) fileName: string | null;
  @Column({ type: 'text', default: 'running' }) status: LeadImportStatus;
  /** Data rows read (blank rows excluded): accepted + rejected + duplicates + suppressed. */
  @Column({ type: 'int', default: 0 }) rows: number;
  @Column({ type: 'int', default: 0 }) accepted: number;
  @Column({ type: 'int', default: 0 }) rejected: number;
  @Column({ type: 'int', default: 0 }) duplicates: number;
  @Column({ type: 'int', default: 0 }) suppressed: number;
  @Column({ name: 'blank_rows', type: 'int', default: 0 }) blankRows: number;
  /** Every row error, even past the first 1,000 kept in `errors`. */
  @Column({ name: 'error_count', type: 'int', default: 0 }) errorCount: number;
  @Column({ type: 'jsonb', default: () => "'[]'" }) errors: RowError[];
  @Column({ name: 'missing_variables', type: 'jsonb', default: () => "'[]'" })
  missingVariables: string[];
  @Column({ type: 'jsonb', default: () => "'[]'" }) warnings: string[];
  @Column({ type: 'jsonb', default: () => "'{}'" }) options: LeadImportOptions;
  /** Lines after the data that were not records (report footers). */
  @Column({ name: 'ignored_rows', type: 'jsonb', default: () => "'[]'" })
  ignoredRows: { row: number; text: string }[];
  /** The file's header row, for the errors file (its rejected rows are in lead_import_rejects). */
  @Column({ type: 'jsonb', nullable: true }) header: string[] | null;
  /** Rejected rows past the bound of lead_import_rejects: counted, not kept. */
  @Column({ name: 'rejects_omitted', type: 'int', default: 0 }) rejectsOmitted: number;
  /** Why an aborted or failed import stopped. */
  @Column({ type: 'text', nullable: true }) failure: string | null;
  @Column({ name: 'started_at', type: 'timestamptz' }) startedAt: Date;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt: Date | null;
}
