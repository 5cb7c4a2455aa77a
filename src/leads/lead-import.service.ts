import {
  BadRequestException,
  ConflictException,
  HttpException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import type { CountryCode } from 'libphonenumber-js/max';
import type { Counter } from 'prom-client';
import { randomUUID } from 'node:crypto';
import { DataSource, type QueryRunner } from 'typeorm';
import { CallRoundedClient } from '../callrounded';
import { AppConfig } from '../config/app-config';
import { type Clock, CLOCK } from '../core/runtime';
import { MetricsService } from '../metrics/metrics.service';
import { openCsv } from './csv/csv-reader';
import { DELIMITER_NAMES } from './csv/delimiter';
import { planLeadColumns } from './csv/header-mapping';
import { openUpload, type Upload, UploadAbortedError } from './csv/upload';
import type { CsvImportQuery } from './dto/import-leads.query';
import type { ImportResultDto } from './dto/import-result.dto';
import { LeadBatchWriter } from './lead-batch-writer';
import { LeadRowMapper, type RowError } from './lead-row-mapper';
import { startMissingVariablesCheck } from './missing-variables';

/** The answer lists this many row errors; the import record keeps the count of all. */
export const MAX_LISTED_ERRORS = 1000;
/** Namespace of the advisory lock that lets one import at a time write into a campaign. */
const IMPORT_LOCK_NAMESPACE = 727_274_003;
const AGENT_CHECK_TIMEOUT_MS = 5000;

interface CampaignForImport {
  id: string;
  status: string;
  agent_id: string;
  default_country: string | null;
  variables: Record<string, unknown> | null;
}

/** Counts of an import in progress, also what an aborted or failed import records. */
class Tally {
  rows = 0;
  rejected = 0;
  blank = 0;
  errorCount = 0;
  errors: RowError[] = [];
  fileName: string | null = null;
  options: Record<string, string | null> = {};

  readonly report = (e: RowError): void => {
    this.errorCount++;
    if (this.errors.length < MAX_LISTED_ERRORS) this.errors.push(e);
  };
}

/**
 * Imports a lead file into a campaign, as one transaction: the leads and the import record are
 * committed together at the end, or not at all. So a file that cannot be read (400/413/415), a
 * client that disconnects mid-upload, or a server error leaves no lead behind. The file is
 * streamed: parsed and written in batches while it arrives, never held whole in memory.
 *
 * Leads go in as `pending` (or `suppressed` when on the do-not-call list). The campaign's own
 * status is left alone: the campaign lifecycle decides what new leads in a completed campaign
 * mean. A cancelled campaign takes no new leads (409).
 */
@Injectable()
export class LeadImportService {
  private readonly logger = new Logger(LeadImportService.name);
  private readonly importsCounter: Counter<string>;
  private readonly rowsCounter: Counter<string>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly platform: CallRoundedClient,
    @Inject(CLOCK) private readonly clock: Clock,
    metrics: MetricsService,
  ) {
    this.importsCounter = metrics.counter('lead_imports_total', 'Lead file uploads by outcome', [
      'outcome',
    ]);
    this.rowsCounter = metrics.counter(
      'lead_import_rows_total',
      'Rows of committed lead imports by result',
      ['result'],
    );
  }

  async importFile(
    campaignId: string,
    query: CsvImportQuery,
    req: Request,
  ): Promise<ImportResultDto> {
    const campaign = await this.campaignForImport(campaignId);
    const upload = await openUpload(req, this.config.IMPORT_MAX_MB * 1024 * 1024);
    const importId = randomUUID();
    const startedAt = this.clock.now();
    const tally = new Tally();
    tally.fileName = upload.fileName;
    const checkVariables = startMissingVariablesCheck(
      this.platform,
      campaign.agent_id,
      AGENT_CHECK_TIMEOUT_MS,
    );
    const qr = this.db.createQueryRunner();
    try {
      await qr.connect();
      await qr.startTransaction();
      const result = await this.run(
        qr,
        campaign,
        query,
        upload,
        importId,
        startedAt,
        tally,
        checkVariables,
      );
      this.countCommitted(result, startedAt);
      return result;
    } catch (err) {
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      upload.discard();
      this.importsCounter.inc({ outcome: outcomeOf(err) });
      await this.recordFailure(err, campaign.id, importId, startedAt, tally);
      throw err;
    } finally {
      await qr.release();
    }
  }

  private async run(
    qr: QueryRunner,
    campaign: CampaignForImport,
    query: CsvImportQuery,
    upload: Upload,
    importId: string,
    startedAt: Date,
    tally: Tally,
    checkVariables: ReturnType<typeof startMissingVariablesCheck>,
  ): Promise<ImportResultDto> {
    const [lock] = await qr.query('SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS ok', [
      IMPORT_LOCK_NAMESPACE,
      campaign.id,
    ]);
    if (!lock.ok) {
      throw new ConflictException(
        'Another file is being imported into this campaign: try again once it is done',
      );
    }
    await qr.query(
      `INSERT INTO lead_imports (id, campaign_id, file_name, status, started_at) VALUES ($1, $2, $3, 'running', $4)`,
      [importId, campaign.id, upload.fileName, startedAt],
    );

    const csv = await openCsv(upload.bytes, {
      delimiter: query.delimiter ? DELIMITER_NAMES[query.delimiter] : undefined,
      encoding: query.encoding,
    });
    let writer: LeadBatchWriter;
    let columns: ReturnType<typeof planLeadColumns>;
    const country = (query.default_country ?? campaign.default_country ?? undefined) as
      CountryCode | undefined;
    try {
      columns = planLeadColumns(csv.header, query.phone_column);
      tally.options = {
        phone_column: columns.phone.header,
        delimiter: csv.delimiter,
        encoding: csv.encoding,
        default_country: country ?? null,
      };
      const mapper = new LeadRowMapper(columns, csv.header, country);
      writer = new LeadBatchWriter((sql, params) => qr.query(sql, params), campaign.id, importId);
      for await (const rows of csv.batches()) {
        for (const row of rows) {
          const lead = mapper.map(row, tally.report);
          if (lead === 'blank') {
            tally.blank++;
            continue;
          }
          tally.rows++;
          if (lead === 'rejected') tally.rejected++;
          else if (writer.add(lead)) await writer.flush();
        }
      }
      await writer.finish();
    } finally {
      csv.close();
    }
    if (tally.rows === 0) {
      throw new BadRequestException(
        'The file has a header row but no data rows: nothing to import',
      );
    }

    const csvKeys = columns.variables.map((v) => v.key);
    const variables = await checkVariables([...csvKeys, ...Object.keys(campaign.variables ?? {})]);
    const warnings = variables.warning ? [variables.warning] : [];
    if (campaign.status === 'completed' && writer.pending > 0) {
      warnings.push(
        'The campaign is completed: the new leads are dialled only if the campaign runs again',
      );
    }
    const duplicates = writer.sent - writer.pending - writer.suppressed;
    await qr.query(
      `UPDATE lead_imports SET status = 'completed', rows = $2, accepted = $3, rejected = $4, duplicates = $5,
         suppressed = $6, blank_rows = $7, error_count = $8, errors = $9::jsonb, missing_variables = $10::jsonb,
         warnings = $11::jsonb, options = $12::jsonb, finished_at = $13
       WHERE id = $1`,
      [
        importId,
        tally.rows,
        writer.pending,
        tally.rejected,
        duplicates,
        writer.suppressed,
        tally.blank,
        tally.errorCount,
        JSON.stringify(tally.errors),
        JSON.stringify(variables.missing),
        JSON.stringify(warnings),
        JSON.stringify(tally.options),
        this.clock.now(),
      ],
    );
    await qr.commitTransaction();
    return {
      import_id: importId,
      rows: tally.rows,
      accepted: writer.pending,
      rejected: tally.rejected,
      duplicates,
      suppressed: writer.suppressed,
      errors: tally.errors,
      error_count: tally.errorCount,
      blank_rows: tally.blank,
      missing_variables: variables.missing,
      ...(warnings.length > 0 ? { warnings } : {}),
      phone_column: columns.phone.header,
      delimiter: csv.delimiter,
      encoding: csv.encoding,
    };
  }

  private countCommitted(r: ImportResultDto, startedAt: Date): void {
    this.importsCounter.inc({ outcome: 'completed' });
    for (const result of ['accepted', 'rejected', 'duplicates', 'suppressed'] as const) {
      this.rowsCounter.inc({ result }, r[result]);
    }
    this.logger.log(
      `Import ${r.import_id}: ${r.rows} rows, ${r.accepted} accepted, ${r.rejected} rejected, ` +
        `${r.duplicates} duplicates, ${r.suppressed} suppressed in ${this.clock.now().getTime() - startedAt.getTime()} ms`,
    );
  }

  private async campaignForImport(campaignId: string): Promise<CampaignForImport> {
    const [campaign] = (await this.db.query(
      'SELECT id, status, agent_id, default_country, variables FROM campaigns WHERE id = $1',
      [campaignId],
    )) as CampaignForImport[];
    if (!campaign) throw new NotFoundException(`Campaign ${campaignId} not found`);
    if (campaign.status === 'cancelled') {
      throw new ConflictException('The campaign is cancelled: it takes no new leads');
    }
    return campaign;
  }

  /**
   * A rejected upload (4xx) changes nothing. An upload cut by the client, or stopped by a server
   * error, leaves an import record (without leads) saying so, for whoever looks for it later.
   */
  private async recordFailure(
    err: unknown,
    campaignId: string,
    importId: string,
    startedAt: Date,
    tally: Tally,
  ) {
    const aborted = err instanceof UploadAbortedError;
    if (!aborted && err instanceof HttpException && err.getStatus() < 500) return;
    if (!aborted)
      this.logger.error(`Lead import ${importId} failed: ${(err as Error)?.stack ?? String(err)}`);
    await this.db
      .query(
        `INSERT INTO lead_imports (id, campaign_id, file_name, status, rows, rejected, blank_rows, error_count, errors,
           options, failure, started_at, finished_at)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11, $12, $13
         WHERE EXISTS (SELECT 1 FROM campaigns WHERE id = $2)
         ON CONFLICT (id) DO NOTHING`,
        [
          importId,
          campaignId,
          tally.fileName,
          aborted ? 'aborted' : 'failed',
          tally.rows,
          tally.rejected,
          tally.blank,
          tally.errorCount,
          JSON.stringify(tally.errors),
          JSON.stringify(tally.options),
          aborted ? (err as Error).message : 'Internal error while importing; no lead was added',
          startedAt,
          this.clock.now(),
        ],
      )
      .catch((e: unknown) =>
        this.logger.warn(`Could not record the failed import ${importId}: ${String(e)}`),
      );
  }
}

function outcomeOf(err: unknown): string {
  if (err instanceof UploadAbortedError) return 'aborted';
  if (err instanceof HttpException) return String(err.getStatus());
  return 'failed';
}
