import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor } from '../common/cursor';
import type {
  IgnoredRowDto,
  LeadImportDto,
  LeadImportPageDto,
  LeadImportSummaryDto,
} from './dto/import-result.dto';
import type { ListImportsQuery } from './dto/list-imports.query';
import type { LeadAttemptDto, LeadDetailDto } from './dto/lead-detail.dto';
import type { LeadDto, LeadPageDto } from './dto/lead.dto';
import type { ListLeadsQuery } from './dto/list-leads.query';
import type { LeadImportOptions } from './lead-import.entity';

const CURSOR_TAG = 'leads';

interface LeadRow {
  id: string;
  seq: string;
  phone: string;
  variables: Record<string, string>;
  status: string;
  attempts: number;
  last_call_id: string | null;
  last_call_status: string | null;
  next_attempt_at: Date | null;
  qualified: boolean | null;
  outcome: string | null;
  status_reason: string | null;
  contact_type: string | null;
  consent_at: Date | null;
  consent_source: string | null;
  row_number: number | null;
  timezone: string | null;
  import_id: string | null;
  created_at: Date;
  updated_at: Date;
}

interface AttemptRow {
  attempt_number: number;
  state: string;
  call_id: string | null;
  call_status: string | null;
  outcome: string | null;
  from_number: string;
  requested_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
  duration_seconds: string | null;
  cost: string | null;
  answers: Record<string, unknown> | null;
  error: string | null;
}

function toAttemptDto(a: AttemptRow): LeadAttemptDto {
  const n = (v: string | null) => (v === null ? null : Number(v));
  return {
    attempt_number: a.attempt_number,
    state: a.state,
    call_id: a.call_id,
    call_status: a.call_status,
    outcome: a.outcome,
    from_number: a.from_number,
    requested_at: a.requested_at.toISOString(),
    started_at: a.started_at?.toISOString() ?? null,
    ended_at: a.ended_at?.toISOString() ?? null,
    duration_seconds: n(a.duration_seconds),
    cost: n(a.cost),
    answers: a.answers,
    error: a.error,
  };
}

/** Reads a campaign's leads (page by page, in import order) and its import records. */
@Injectable()
export class LeadsQueryService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async listLeads(campaignId: string, query: ListLeadsQuery): Promise<LeadPageDto> {
    await this.assertCampaign(campaignId);
    const limit = query.limit ?? 100;
    const [after] = query.cursor ? decodeCursor(CURSOR_TAG, query.cursor, ['seq']) : ['0'];
    const statuses = query.status && query.status.length > 0 ? query.status : null;
    const search = query.search?.trim() ?? '';
    // Digits as typed nationally (06 12…) also match the E.164 form (+336 12…).
    const digits = search.replace(/\D/g, '').replace(/^0/, '');
    const rows = await this.db.query<LeadRow[]>(
      `SELECT id, seq, phone, variables, status, attempts, last_call_id, last_call_status, next_attempt_at, qualified,
              outcome, status_reason, contact_type, consent_at, consent_source, row_number, timezone,
              import_id, created_at, updated_at
       FROM leads
       WHERE campaign_id = $1 AND seq > $2 AND ($3::text[] IS NULL OR status = ANY($3))
         AND ($5 = '' OR ($6 <> '' AND phone LIKE '%' || $6 || '%')
              OR variables::text ILIKE '%' || $5 || '%')
       ORDER BY seq
       LIMIT $4`,
      [campaignId, after, statuses, limit + 1, likeEscape(search), digits],
    );
    const page = rows.slice(0, limit);
    return {
      data: page.map(toLeadDto),
      next_cursor: rows.length > limit ? encodeCursor(CURSOR_TAG, page[page.length - 1].seq) : null,
    };
  }

  /** One lead with every call attempt: status, duration, cost, answers, error. */
  async getLead(campaignId: string, leadId: string): Promise<LeadDetailDto> {
    const [row] = await this.db.query<LeadRow[]>(
      `SELECT id, seq, phone, variables, status, attempts, last_call_id, last_call_status, next_attempt_at, qualified,
              outcome, status_reason, contact_type, consent_at, consent_source, row_number, timezone,
              import_id, created_at, updated_at
       FROM leads WHERE id = $1 AND campaign_id = $2`,
      [leadId, campaignId],
    );
    if (!row) throw new NotFoundException(`Lead ${leadId} not found in campaign ${campaignId}`);
    const attempts = await this.db.query<AttemptRow[]>(
      `SELECT attempt_number, state, call_id, call_status, outcome, from_number, requested_at,
              started_at, ended_at, duration_seconds, cost, answers, error
       FROM call_attempts WHERE lead_id = $1 ORDER BY attempt_number, requested_at`,
      [leadId],
    );
    return { ...toLeadDto(row), attempts_detail: attempts.map(toAttemptDto) };
  }

  async getImport(campaignId: string, importId: string): Promise<LeadImportDto> {
    const [row] = await this.db.query<(ImportRow & { errors: LeadImportDto['errors'] })[]>(
      `SELECT ${IMPORT_COLUMNS}, errors FROM lead_imports WHERE id = $1 AND campaign_id = $2`,
      [importId, campaignId],
    );
    if (!row) throw new NotFoundException(`Import ${importId} not found in campaign ${campaignId}`);
    return { ...toImportSummary(row), errors: row.errors };
  }

  /** The campaign's imports, newest first, without their row errors. */
  async listImports(campaignId: string, query: ListImportsQuery): Promise<LeadImportPageDto> {
    await this.assertCampaign(campaignId);
    const limit = query.limit ?? 50;
    const [at, id] = query.cursor
      ? decodeCursor(IMPORTS_CURSOR_TAG, query.cursor, ['timestamp', 'uuid'])
      : [null, null];
    const rows = await this.db.query<(ImportRow & { cursor_at: string })[]>(
      `SELECT ${IMPORT_COLUMNS},
              to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
       FROM lead_imports
       WHERE campaign_id = $1 AND ($2::timestamptz IS NULL OR (started_at, id) < ($2, $3::uuid))
       ORDER BY started_at DESC, id DESC
       LIMIT $4`,
      [campaignId, at, id, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map(toImportSummary),
      next_cursor:
        rows.length > limit ? encodeCursor(IMPORTS_CURSOR_TAG, last.cursor_at, last.id) : null,
    };
  }

  private async assertCampaign(campaignId: string): Promise<void> {
    const found = await this.db.query<unknown[]>('SELECT 1 FROM campaigns WHERE id = $1', [
      campaignId,
    ]);
    if (found.length === 0) throw new NotFoundException(`Campaign ${campaignId} not found`);
  }
}

const IMPORT_COLUMNS = `id, campaign_id, file_name, status, rows, accepted, rejected, duplicates, suppressed,
  blank_rows, error_count, missing_variables, warnings, options, ignored_rows, failure, started_at, finished_at`;
const IMPORTS_CURSOR_TAG = 'imports';

function toImportSummary(row: ImportRow): LeadImportSummaryDto {
  return {
    import_id: row.id,
    campaign_id: row.campaign_id,
    file_name: row.file_name,
    status: row.status,
    rows: row.rows,
    accepted: row.accepted,
    rejected: row.rejected,
    duplicates: row.duplicates,
    suppressed: row.suppressed,
    blank_rows: row.blank_rows,
    error_count: row.error_count,
    missing_variables: row.missing_variables,
    warnings: row.warnings,
    phone_column: row.options.phone_column ?? null,
    phone_column_reason: row.options.phone_column_reason ?? null,
    ignored_rows: row.ignored_rows ?? [],
    delimiter: row.options.delimiter ?? null,
    encoding: row.options.encoding ?? null,
    failure: row.failure,
    started_at: row.started_at.toISOString(),
    finished_at: row.finished_at?.toISOString() ?? null,
  };
}

interface ImportRow {
  id: string;
  campaign_id: string;
  file_name: string | null;
  status: string;
  rows: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  suppressed: number;
  blank_rows: number;
  error_count: number;
  missing_variables: string[];
  warnings: string[];
  options: LeadImportOptions;
  ignored_rows: IgnoredRowDto[];
  failure: string | null;
  started_at: Date;
  finished_at: Date | null;
}

function toLeadDto(r: LeadRow): LeadDto {
  return {
    id: r.id,
    phone: r.phone,
    variables: r.variables,
    status: r.status,
    attempts: r.attempts,
    last_call_id: r.last_call_id,
    last_call_status: r.last_call_status,
    next_attempt_at: r.next_attempt_at?.toISOString() ?? null,
    qualified: r.qualified,
    outcome: r.outcome,
    status_reason: r.status_reason,
    contact_type: r.contact_type,
    consent_at: r.consent_at?.toISOString() ?? null,
    consent_source: r.consent_source,
    row_number: r.row_number,
    timezone: r.timezone,
    import_id: r.import_id,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}

/** Text matched literally by LIKE: its own % and _ are escaped. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
