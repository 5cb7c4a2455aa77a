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
import { type ColumnMapping, type LeadColumns, planLeadColumns } from './csv/header-mapping';
import { UploadAbortedError } from './csv/upload';
import { UploadGate } from './csv/upload-gate';
import type { ImportResultDto } from './dto/import-result.dto';
import type { LeadImportQuery } from './dto/lead-import.query';
import { isColumnMapping, parseMappingJson } from './dto/mapping-rules';
import { PreviewCollector } from './import-preview';
import { LeadBatchWriter } from './lead-batch-writer';
import {
  type CampaignForImport,
  type ImportRun,
  recordUnfinishedImport,
  type ReadLeads,
  Tally,
} from './import-run';
import { LeadDryRun } from './lead-dry-run';
import { LeadRejectStore } from './lead-reject-store';
import { LeadRowMapper, type RowError } from './lead-row-mapper';
import { storeEvidence } from './consent-columns';
import type { LeadSink } from './lead-sink';
import { startMissingVariablesCheck } from './missing-variables';
import { TrailingLines } from './trailing-lines';
import { ADVISORY_LOCKS } from '../common/advisory-locks';

/** A lead file opened up to its first rows: what the import needs to start writing. */
interface OpenedRows {
  csv: OpenedCsv;
  columns: LeadColumns;
  mapper: LeadRowMapper;
  describe: () => Tally['options'];
  first: IteratorResult<RowBatch>;
  batches: AsyncGenerator<RowBatch>;
}

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
    query: LeadImportQuery,
    req: Request,
  ): Promise<ImportResultDto> {
    const campaign = await this.campaignForImport(campaignId);
    const upload = await this.uploads.open(req);
    const tally = new Tally();
    tally.fileName = upload.fileName;
    const run: ImportRun = {
      qr: this.db.createQueryRunner(),
      campaign,
      query,
      mapping: undefined,
      upload,
      importId: randomUUID(),
      startedAt: this.clock.now(),
      tally,
      checkVariables: startMissingVariablesCheck(
        this.platform,
        campaign.agent_id,
        AGENT_CHECK_TIMEOUT_MS,
      ),
    };
    try {
      run.mapping = mappingOf(query, upload.fields);
    } catch (err) {
      upload.discard();
      await run.qr.release();
      throw err;
    }
    return query.dry_run ? this.dryRun(run) : this.commitImport(run);
  }

  private async commitImport(run: ImportRun): Promise<ImportResultDto> {
    const { qr, upload, startedAt } = run;
    try {
      const rows = await this.openRows(run);
      let writer: LeadBatchWriter;
      try {
        await qr.connect();
        await qr.startTransaction();
        await this.lockCampaign(run);
        // The transaction's own connection (the query runner hands back the one it holds).
        const client = (await qr.connect()) as ClientBase;
        writer = new LeadBatchWriter(client, run.campaign.id, run.importId);
      } catch (err) {
        rows.csv.close();
        throw err;
      }
      const rejects = new LeadRejectStore(run.importId, writer.onConnection);
      const read = await this.readLeads(run, rows, writer, { rejects });
      if (rows.mapper.hasEvidence) await storeEvidence(qr, run.campaign.id, run.importId);
      const result = await this.complete(run, read, rows.csv.header, rejects.omitted);
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

  /**
   * Reads and validates the whole file as an import would, and stores nothing: no lead, no
   * import record, no lock (duplicates and the do-not-call list are read with plain statements).
   */
  private async dryRun(run: ImportRun): Promise<ImportResultDto> {
    const { qr, upload, campaign } = run;
    try {
      const rows = await this.openRows(run);
      let sink: LeadDryRun;
      try {
        sink = new LeadDryRun((await qr.connect()) as ClientBase, campaign.id);
      } catch (err) {
        rows.csv.close();
        throw err;
      }
      const preview = new PreviewCollector(rows.csv, rows.columns, campaign.variables ?? {});
      const read = await this.readLeads(run, rows, sink, { preview });
      const { missing, warnings } = await this.checkVariables(run, read);
      this.importsCounter.inc({ outcome: 'dry_run' });
      return {
        ...this.answer(run, read, missing, warnings),
        import_id: null,
        dry_run: true,
        preview: preview.build(missing),
      };
    } catch (err) {
      upload.discard();
      this.importsCounter.inc({ outcome: `dry_run_${outcomeOf(err)}` });
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
    const [lock] = (await qr.query('SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS ok', [
      ADVISORY_LOCKS.leadImportSpace,
      campaign.id,
    ])) as { ok: boolean }[];
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
  private async openRows({
    campaign,
    query,
    mapping,
    upload,
    tally,
  }: ImportRun): Promise<OpenedRows> {
    const csv = await openCsv(upload.bytes, {
      delimiter: query.delimiter ? DELIMITER_NAMES[query.delimiter] : undefined,
      encoding: query.encoding,
    });
    try {
      const country = (query.default_country ?? campaign.default_country ?? undefined) as
        CountryCode | undefined;
      const columns = planLeadColumns(csv.header, { phoneColumn: query.phone_column, mapping });
      const mapper = new LeadRowMapper(columns, csv.header, country);
      const describe = () => ({
        phone_column: columns.phone.primary.header,
        phone_column_reason: columns.phone.reason,
        delimiter: csv.delimiter,
        encoding: csv.encoding,
        default_country: country ?? null,
        // The file's column order, which the report's columns follow (jsonb keeps no key order).
        variable_keys: [...columns.variables.map((v) => v.key), ...mapper.seen],
      });
      tally.options = describe();
      const batches = csv.batches();
      const first = await batches.next();
      return { csv, columns, mapper, describe, first, batches };
    } catch (err) {
      csv.close();
      throw err;
    }
  }

  /**
   * Reads the file's rows in batches, while it is still arriving, and hands the leads to `sink`
   * (the import's writer, or a dry run's counts); `preview` sees every row, `rejects` keeps the
   * rejected ones, when given.
   */
  private async readLeads(
    { tally }: ImportRun,
    { csv, columns, mapper, describe, first, batches }: OpenedRows,
    sink: LeadSink,
    { preview, rejects }: { preview?: PreviewCollector; rejects?: LeadRejectStore },
  ): Promise<ReadLeads> {
    try {
      await sink.prepare();
      const trailing = new TrailingLines(csv.header.length);
      const rowErrors: RowError[] = [];
      const collect = (e: RowError) => void rowErrors.push(e);
      const reject = async (row: number, cells: string[], errors: RowError[]) => {
        tally.rows++;
        tally.rejected++;
        for (const e of errors) tally.report(e);
        if (rejects) await rejects.add(row, cells, errors);
      };
      const releaseHeld = async () => {
        for (const held of trailing.release()) await reject(held.row, held.cells, held.errors);
      };
      try {
        for (let next = first; !next.done; next = await batches.next()) {
          const { firstRow, records } = next.value;
          // Parsing a buffered file never waits for I/O, so give the event loop a turn: the
          // database's answers (COPY's go-ahead) must be read for queued batches to proceed.
          await setImmediate();
          for (let i = 0; i < records.length; i++) {
            const row = firstRow + i;
            const cells = records[i];
            const lead = mapper.map(row, cells, collect);
            if (lead === 'blank') {
              tally.blank++;
              continue;
            }
            if (preview) preview.observe(cells, lead === 'rejected' ? null : lead);
            if (lead === 'rejected') {
              if (!trailing.hold(row, cells, rowErrors)) {
                await releaseHeld();
                await reject(row, cells, rowErrors);
              }
              rowErrors.length = 0;
              continue;
            }
            if (trailing.holding) await releaseHeld();
            tally.rows++;
            if (sink.add(lead)) await sink.flush();
          }
        }
        tally.ignored = trailing.finish();
        await rejects?.flush();
        await sink.finish();
      } catch (err) {
        await sink.abandon();
        throw err;
      }
      tally.options = describe();
      if (tally.rows === 0) {
        throw new BadRequestException(
          'The file has a header row but no data rows: nothing to import',
        );
      }
      return {
        columns,
        sink,
        delimiter: csv.delimiter,
        encoding: csv.encoding,
        warnings: csv.warnings,
      };
    } finally {
      csv.close();
    }
  }

  /** Which of the agent's variables nothing supplies; the file's warnings first. */
  private async checkVariables(
    run: ImportRun,
    { columns, warnings }: ReadLeads,
  ): Promise<{ missing: string[]; warnings: string[] }> {
    const variables = await run.checkVariables([
      ...columns.variables.map((v) => v.key),
      ...Object.keys(run.campaign.variables ?? {}),
    ]);
    return {
      missing: variables.missing,
      warnings: [...warnings, ...(variables.warning ? [variables.warning] : [])],
    };
  }

  /** Checks the agent's variables and writes the import record's final counts. */
  private async complete(
    run: ImportRun,
    read: ReadLeads,
    header: string[],
    rejectsOmitted: number,
  ): Promise<ImportResultDto> {
    const { qr, campaign, importId, tally } = run;
    const writer = read.sink;
    const { missing, warnings } = await this.checkVariables(run, read);
    if (campaign.status === 'completed' && writer.pending > 0) {
      // A completed campaign with a schedule goes back to it: its next run dials the new leads.
      const [{ reopened }] = (await qr.query(
        `WITH r AS (UPDATE campaigns SET status = 'scheduled', completed_at = NULL, schedule_from = $2, updated_at = now()
                     WHERE id = $1 AND status = 'completed' AND schedule IS NOT NULL RETURNING id)
         SELECT count(*)::int AS reopened FROM r`,
        [campaign.id, this.clock.now()],
      )) as { reopened: number }[];
      warnings.push(
        reopened > 0
          ? 'The campaign was completed: it is scheduled again, and its next run dials the new leads'
          : 'The campaign is completed: the new leads are dialled only if the campaign runs again',
      );
    }
    await qr.query(
      `UPDATE lead_imports SET status = 'completed', rows = $2, accepted = $3, rejected = $4, duplicates = $5,
         suppressed = $6, blank_rows = $7, error_count = $8, errors = $9::jsonb, missing_variables = $10::jsonb,
         warnings = $11::jsonb, options = $12::jsonb, finished_at = $13, ignored_rows = $14::jsonb,
         header = $15::jsonb, rejects_omitted = $16
       WHERE id = $1`,
      [
        importId,
        tally.rows,
        writer.pending,
        tally.rejected,
        writer.duplicates,
        writer.suppressed,
        tally.blank,
        tally.errorCount,
        JSON.stringify(tally.errors),
        JSON.stringify(missing),
        JSON.stringify(warnings),
        JSON.stringify(tally.options),
        this.clock.now(),
        JSON.stringify(tally.ignored),
        JSON.stringify(header),
        rejectsOmitted,
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
        duplicates: writer.duplicates,
        suppressed: writer.suppressed,
      },
    });
    return this.answer(run, read, missing, warnings);
  }

  private answer(
    { importId, tally }: ImportRun,
    { columns, sink, delimiter, encoding }: ReadLeads,
    missing: string[],
    warnings: string[],
  ): ImportResultDto {
    return {
      import_id: importId,
      rows: tally.rows,
      accepted: sink.pending,
      rejected: tally.rejected,
      duplicates: sink.duplicates,
      suppressed: sink.suppressed,
      errors: tally.errors,
      error_count: tally.errorCount,
      blank_rows: tally.blank,
      ignored_rows: tally.ignored,
      missing_variables: missing,
      ...(warnings.length > 0 ? { warnings } : {}),
      phone_column: columns.phone.primary.header,
      phone_column_reason: columns.phone.reason,
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
    const [campaign] = await this.db.query<CampaignForImport[]>(
      'SELECT id, status, agent_id, default_country, variables FROM campaigns WHERE id = $1',
      [campaignId],
    );
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

/** The mapping, from the query or from the multipart field `mapping` (not both). */
function mappingOf(
  query: LeadImportQuery,
  fields: Record<string, string>,
): ColumnMapping | undefined {
  const field = fields.mapping;
  if (field === undefined) return query.mapping;
  if (query.mapping !== undefined) {
    throw new BadRequestException({
      message: 'mapping was given both as a query parameter and as a multipart field: give it once',
      details: [{ field: 'mapping', message: 'given twice' }],
    });
  }
  const parsed = parseMappingJson({ value: field });
  if (!isColumnMapping(parsed)) {
    throw new BadRequestException({
      message:
        'the multipart field mapping must be a JSON object {"<header>": "<variable>" | null}',
      details: [{ field: 'mapping', message: 'not a JSON object of strings or null' }],
    });
  }
  return parsed as ColumnMapping;
}

function outcomeOf(err: unknown): string {
  if (err instanceof UploadAbortedError) return 'aborted';
  if (err instanceof HttpException) return String(err.getStatus());
  return 'failed';
}
