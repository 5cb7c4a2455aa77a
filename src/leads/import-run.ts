import type { DataSource, QueryRunner } from 'typeorm';
import type { ColumnMapping, LeadColumns } from './csv/header-mapping';
import type { Upload } from './csv/upload';
import type { LeadImportQuery } from './dto/lead-import.query';
import type { RowError } from './lead-row-mapper';
import type { LeadSink } from './lead-sink';
import type { startMissingVariablesCheck } from './missing-variables';
import type { IgnoredRow } from './trailing-lines';

/** The answer lists this many row errors; the import record keeps the count of all. */
export const MAX_LISTED_ERRORS = 1000;
export interface CampaignForImport {
  id: string;
  status: string;
  agent_id: string;
  default_country: string | null;
  variables: Record<string, unknown> | null;
}

export interface ImportRun {
  qr: QueryRunner;
  campaign: CampaignForImport;
  query: LeadImportQuery;
  /** From the query or the multipart field. */
  mapping: ColumnMapping | undefined;
  upload: Upload;
  importId: string;
  startedAt: Date;
  tally: Tally;
  checkVariables: ReturnType<typeof startMissingVariablesCheck>;
}

/** A file read to its end: how, and where its leads went. */
export interface ReadLeads {
  columns: LeadColumns;
  sink: LeadSink;
  delimiter: string;
  encoding: string;
  warnings: string[];
}

/** Counts of an import in progress, also what an aborted or failed import records. */
export class Tally {
  rows = 0;
  rejected = 0;
  blank = 0;
  errorCount = 0;
  errors: RowError[] = [];
  /** Lines after the data that are not records (report footers). */
  ignored: IgnoredRow[] = [];
  fileName: string | null = null;
  options: Record<string, string | string[] | null> = {};

  readonly report = (e: RowError): void => {
    this.errorCount++;
    if (this.errors.length < MAX_LISTED_ERRORS) this.errors.push(e);
  };
}

/** An import that did not commit: its record alone, with what was read before it stopped. */
export async function recordUnfinishedImport(
  db: DataSource,
  run: ImportRun,
  status: 'aborted' | 'failed',
  o: { failure: string; finishedAt: Date },
): Promise<void> {
  const { tally } = run;
  await db.query(
    `INSERT INTO lead_imports (id, campaign_id, file_name, status, rows, rejected, blank_rows, error_count, errors,
       options, failure, started_at, finished_at)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11, $12, $13
     WHERE EXISTS (SELECT 1 FROM campaigns WHERE id = $2)
     ON CONFLICT (id) DO NOTHING`,
    [
      run.importId,
      run.campaign.id,
      tally.fileName,
      status,
      tally.rows,
      tally.rejected,
      tally.blank,
      tally.errorCount,
      JSON.stringify(tally.errors),
      JSON.stringify(tally.options),
      o.failure,
      run.startedAt,
      o.finishedAt,
    ],
  );
}
