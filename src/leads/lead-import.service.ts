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
import type { ClientBase } from 'pg';
import type { CountryCode } from 'libphonenumber-js/max';
import type { Counter } from 'prom-client';
import { randomUUID } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { CallRoundedClient } from '../callrounded';
import { AppConfig } from '../config/app-config';
import { type Clock, CLOCK } from '../core/runtime';
import { MetricsService } from '../metrics/metrics.service';
import { openCsv, type OpenedCsv, type RowBatch } from './csv/csv-reader';
import { DELIMITER_NAMES } from './csv/delimiter';
import { type LeadColumns, planLeadColumns } from './csv/header-mapping';
import { UploadAbortedError } from './csv/upload';
import { UploadGate } from './csv/upload-gate';
import type { CsvImportQuery } from './dto/import-leads.query';
import type { ImportResultDto } from './dto/import-result.dto';
import { LeadBatchWriter } from './lead-batch-writer';
import {
  type CampaignForImport,
  type ImportRun,
  recordUnfinishedImport,
  Tally,
  type Written,
} from './import-run';
import { LeadRowMapper } from './lead-row-mapper';
import { startMissingVariablesCheck } from './missing-variables';

/** A lead file opened up to its first rows: what the import needs to start writing. */
interface OpenedRows {
  csv: OpenedCsv;
  columns: LeadColumns;
  country: CountryCode | undefined;
  describe: () => Tally['options'];
  first: IteratorResult<RowBatch>;
  batches: AsyncGenerator<RowBatch>;
}

/** Namespace of the advisory lock that lets one import at a time write into a campaign. */
const IMPORT_LOCK_NAMESPACE = 727_274_003;
const AGENT_CHECK_TIMEOUT_MS = 5000;

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
    private readonly uploads: UploadGate,
    @Inject(CLOCK) private readonly clock: Clock,
    metrics: MetricsService,
    private readonly audit: AuditTrail,
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
    const upload = await this.uploads.open(req);
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
    const run: ImportRun = {
      qr,
      campaign,
      query,
      upload,
      importId,
      startedAt,
      tally,
      checkVariables,
    };
    try {
      const rows = await this.openRows(run);
      try {
        await qr.connect();
        await qr.startTransaction();
        await this.lockCampaign(run);
      } catch (err) {
        rows.csv.close();
        throw err;
      }
      const written = await this.writeLeads(run, rows);
      const result = await this.complete(run, written);
      await qr.commitTransaction();
      this.countCommitted(result, startedAt);
      return result;
    } catch (err) {
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      upload.discard();
      this.importsCounter.inc({ outcome: outcomeOf(err) });
      await this.recordFailure(err, run);
      throw err;
    } finally {
      await qr.release();
    }
  }

  /** One import at a time per campaign, and its record, inside the import's transaction. */
  private async lockCampaign({
    qr,
    campaign,
    upload,
    importId,
    startedAt,
  }: ImportRun): Promise<void> {
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
  }

  /**
   * Reads the header and the first rows, before any database connection is taken: a client that
   * is slow to send its file holds an upload place, not one of the pool's connections.
   */
  private async openRows({ campaign, query, upload, tally }: ImportRun): Promise<OpenedRows> {
    const csv = await openCsv(upload.bytes, {
      delimiter: query.delimiter ? DELIMITER_NAMES[query.delimiter] : undefined,
      encoding: query.encoding,
    });
    try {
      const country = (query.default_country ?? campaign.default_country ?? undefined) as
        CountryCode | undefined;
      const columns = planLeadColumns(csv.header, query.phone_column);
      const describe = () => ({
        phone_column: columns.phone.header,
        delimiter: csv.delimiter,
        encoding: csv.encoding,
        default_country: country ?? null,
        // The file's column order, which the report's columns follow (jsonb keeps no key order).
        variable_keys: columns.variables.map((v) => v.key),
      });
      tally.options = describe();
      const batches = csv.batches();
      const first = await batches.next();
      return { csv, columns, country, describe, first, batches };
    } catch (err) {
      csv.close();
      throw err;
    }
  }

  /** Writes the file's leads in batches, while it is still arriving. */
  private async writeLeads(
    { qr, campaign, importId, tally }: ImportRun,
    { csv, columns, country, describe, first, batches }: OpenedRows,
  ): Promise<Written> {
    try {
      const mapper = new LeadRowMapper(columns, csv.header, country);
      // The transaction's own connection (the query runner hands back the one it holds).
      const client = (await qr.connect()) as ClientBase;
      const writer = new LeadBatchWriter(client, campaign.id, importId);
      await writer.prepare();
      try {
        for (let next = first; !next.done; next = await batches.next()) {
          const { firstRow, records } = next.value;
          // Parsing a buffered file never waits for I/O, so give the event loop a turn: the
          // database's answers (COPY's go-ahead) must be read for queued batches to proceed.
          await setImmediate();
          for (let i = 0; i < records.length; i++) {
            const lead = mapper.map(firstRow + i, records[i], tally.report);
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
      } catch (err) {
        await writer.abandon();
        throw err;
      }
      tally.options = describe();
      if (tally.rows === 0) {
        throw new BadRequestException(
          'The file has a header row but no data rows: nothing to import',
        );
      }
      return { columns, writer, delimiter: csv.delimiter, encoding: csv.encoding };
    } finally {
      csv.close();
    }
  }

  /** Checks the agent's variables and writes the import record's final counts. */
  private async complete(
    run: ImportRun,
    { columns, writer, delimiter, encoding }: Written,
  ): Promise<ImportResultDto> {
    const { qr, campaign, importId, tally } = run;
    const csvKeys = columns.variables.map((v) => v.key);
    const variables = await run.checkVariables([
      ...csvKeys,
      ...Object.keys(campaign.variables ?? {}),
    ]);
    const warnings = variables.warning ? [variables.warning] : [];
    if (campaign.status === 'completed' && writer.pending > 0) {
      // A completed campaign with a schedule goes back to it: its next run dials the new leads.
      const [{ reopened }] = await qr.query(
        `WITH r AS (UPDATE campaigns SET status = 'scheduled', completed_at = NULL, schedule_from = $2, updated_at = now()
                     WHERE id = $1 AND status = 'completed' AND schedule IS NOT NULL RETURNING id)
         SELECT count(*)::int AS reopened FROM r`,
        [campaign.id, this.clock.now()],
      );
      warnings.push(
        reopened > 0
          ? 'The campaign was completed: it is scheduled again, and its next run dials the new leads'
          : 'The campaign is completed: the new leads are dialled only if the campaign runs again',
      );
    }
    const duplicates = writer.duplicates;
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
    await this.audit.record(qr, {
      action: 'leads.import',
      targetType: 'campaign',
      targetId: campaign.id,
      summary: {
        import_id: importId,
        rows: tally.rows,
        accepted: writer.pending,
        rejected: tally.rejected,
        duplicates,
        suppressed: writer.suppressed,
      },
    });
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
      delimiter,
      encoding,
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
  private async recordFailure(err: unknown, run: ImportRun): Promise<void> {
    const aborted = err instanceof UploadAbortedError;
    if (!aborted && err instanceof HttpException && err.getStatus() < 500) return;
    if (!aborted) {
      this.logger.error(
        `Lead import ${run.importId} failed: ${(err as Error)?.stack ?? String(err)}`,
      );
    }
    await recordUnfinishedImport(this.db, run, aborted ? 'aborted' : 'failed', {
      failure: aborted
        ? (err as Error).message
        : 'Internal error while importing; no lead was added',
      finishedAt: this.clock.now(),
    }).catch((e: unknown) =>
      this.logger.warn(`Could not record the unfinished import ${run.importId}: ${String(e)}`),
    );
  }
}

function outcomeOf(err: unknown): string {
  if (err instanceof UploadAbortedError) return 'aborted';
  if (err instanceof HttpException) return String(err.getStatus());
  return 'failed';
}
