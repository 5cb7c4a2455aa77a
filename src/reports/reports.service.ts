import { complianceOf, type ComplianceSettings } from '../compliance/compliance-settings';
import {
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { CampaignProgress, loadProgress } from '../campaigns/campaign-progress';
import { Campaign } from '../campaigns/campaign.entity';
import { toCampaignView } from '../campaigns/campaign.view';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { CLOCK, RUNTIME } from '../core/runtime';
import type { Clock, Runtime } from '../core/runtime';
import { QuestionInfo, questionInfos } from '../qualification/question-kind';
import { ClientGoneError } from './client-gone';
import { Coalescer, csvCell, csvStringifier } from './csv-export';
import { openLeadExport } from './lead-export-stream';
import type { CampaignReportDto } from './dto/report-response.dto';
import { reportColumns } from './report-columns';
import { fetchAnswerKeys, fetchLeadRows, fetchVariableKeys, LeadFilter, LeadReportRow } from './report-rows';
import { computeSummary } from './report-summary';
import { writeXlsx } from './xlsx-export';

/** Each export holds a database connection of its own for its whole length. */
const MAX_CONCURRENT_EXPORTS = 4;

type PreparedExport = Awaited<ReturnType<ReportsService['prepareExport']>>;

/**
 * The lead-qualification report: JSON (summary and a page of leads), CSV and XLSX (every lead,
 * streamed). All three read the same rows with the same filters.
 */
@Injectable()
export class ReportsService {
  private activeExports = 0;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  async report(campaignId: string, filter: LeadFilter, limit: number, cursor?: string): Promise<CampaignReportDto> {
    const after = cursor === undefined ? null : decodeCursor(REPORT_CURSOR_TAG, cursor, ['seq'])[0];
    const campaign = await this.campaign(campaignId);
    const stored = questionInfos(campaign.questions);
    const [summary, rows, progress] = await Promise.all([
      // Its distributions also name the answered questions the stored list lacks.
      computeSummary(this.db, campaign.id, stored),
      fetchLeadRows(this.db, campaign.id, filter, after, limit + 1),
      loadProgress(this.db, [campaign.id]),
    ]);
    const page = rows.slice(0, limit);
    const info = new Map(stored.map((q) => [q.name, q]));
    return {
      // The campaign exactly as GET /v1/campaigns/{id} shows it (never its webhook secret).
      campaign: toCampaignView(campaign, progress.get(campaign.id) as CampaignProgress, this.clock.now()),
      summary,
      questions: summary.questions.map((d) => ({
        name: d.name,
        type: d.type,
        description: info.get(d.name)?.description ?? null,
        options: info.get(d.name)?.options ?? [],
      })),
      leads: page.map(leadView),
      next_cursor: rows.length > limit ? encodeCursor(REPORT_CURSOR_TAG, page[page.length - 1].seq) : null,
    };
  }

  /**
   * Looks the campaign up and takes an export slot before any byte is sent, so that a wrong id
   * is a 404 and a busy instance a 429, both as JSON. Call `release` once the export is over.
   */
  async prepareExport(campaignId: string) {
    const campaign = await this.campaign(campaignId);
    if (this.activeExports >= MAX_CONCURRENT_EXPORTS) {
      throw new HttpException(
        `${MAX_CONCURRENT_EXPORTS} exports are running on this instance; try again in a moment`,
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    this.activeExports++;
    let released = false;
    const release = () => {
      if (!released) this.activeExports--;
      released = true;
    };
    try {
      const [variableKeys, questions] = await Promise.all([
        fetchVariableKeys(this.db, campaign.id),
        this.questions(campaign),
      ]);
      const columns = reportColumns(
        variableKeys,
        questions.map((q) => q.name),
      );
      return { campaign, questions, columns, release };
    } catch (err) {
      release();
      throw err;
    }
  }

  async writeCsv(prepared: PreparedExport, filter: LeadFilter, excel: boolean, out: Writable): Promise<void> {
    const options = { excel };
    const { columns } = prepared;
    try {
      const lead = await openLeadExport(this.runtime.databaseUrl, prepared.campaign.id, filter, columns, (value) =>
        csvCell(value, options),
      );
      try {
        await pipeline(lead.rows, csvStringifier(columns, options), new Coalescer(), out);
      } finally {
        await lead.close();
      }
    } finally {
      prepared.release();
    }
  }

  async writeXlsx(prepared: PreparedExport, filter: LeadFilter, out: Writable): Promise<void> {
    const { campaign, questions, columns } = prepared;
    try {
      const summary = await computeSummary(this.db, campaign.id, questions);
      const lead = await openLeadExport(this.runtime.databaseUrl, campaign.id, filter, columns, (value) => value);
      // A client that hangs up stops the read; the workbook writer has no error path of its own.
      const stop = () => lead.rows.destroy(new ClientGoneError());
      out.once('close', stop);
      try {
        await writeXlsx(
          out,
          columns,
          lead.rows,
          {
            id: campaign.id,
            name: campaign.name,
            status: campaign.status,
            created_at: campaign.createdAt,
            started_at: campaign.startedAt,
            completed_at: campaign.completedAt,
            calling_laws: callingLawsLabel(campaign.compliance),
            ends_at: campaign.endsAt,
            paused_reason: campaign.status === 'paused' ? campaign.pausedReason : null,
          },
          summary,
          this.clock.now(),
        );
      } finally {
        out.off('close', stop);
        await lead.close();
      }
    } finally {
      prepared.release();
    }
  }

  private async campaign(id: string): Promise<Campaign> {
    const campaign = await this.db.getRepository(Campaign).findOneBy({ id });
    if (!campaign) throw new NotFoundException(`Campaign ${id} not found`);
    return campaign;
  }

  /**
   * The campaign's stored questions, then any question its leads have answers to that the stored
   * list lacks (asked before a re-fetch, or stored while the platform was unreachable).
   */
  private async questions(campaign: Campaign): Promise<QuestionInfo[]> {
    const stored = questionInfos(campaign.questions);
    const known = new Set(stored.map((q) => q.name));
    const extra = (await fetchAnswerKeys(this.db, campaign.id)).filter((k) => !known.has(k));
    return [...stored, ...extra.map((name) => ({ name, kind: null, description: null, options: [] }))];
  }
}

function leadView(row: LeadReportRow) {
  const { seq: _seq, ...rest } = row;
  return rest;
}

/** Report pages are keyed by the last lead's insertion number. */
const REPORT_CURSOR_TAG = 'report';

/** What the summary sheet says of the campaign's calling laws (`none` shows, as the issue asks). */
function callingLawsLabel(stored: Partial<ComplianceSettings> | null): string {
  const rules = complianceOf(stored).rules;
  if (rules === 'none') return 'none (no calling law applied)';
  return rules === 'auto' ? "auto (each lead's number)" : rules.join(', ');
}
