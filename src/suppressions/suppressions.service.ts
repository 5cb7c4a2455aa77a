import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import type { CountryCode } from 'libphonenumber-js/max';
import { DataSource, type QueryRunner } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service';
import { openCsv } from '../leads/csv/csv-reader';
import { DELIMITER_NAMES } from '../leads/csv/delimiter';
import { findPhoneColumn, toVariableKey } from '../leads/csv/header-mapping';
import { normalizePhone } from '../leads/csv/phone-normalizer';
import { UploadGate } from '../leads/csv/upload-gate';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { MAX_LISTED_ERRORS } from '../leads/import-run';
import type { AddSuppressionsDto, SuppressionsCsvQuery } from './dto/add-suppressions.dto';
import type {
  AddSuppressionsResultDto,
  ListSuppressionsQuery,
  SuppressionErrorDto,
  SuppressionPageDto,
} from './dto/suppression.dto';
import { DIALABLE_LEAD_STATUSES_SQL } from '../leads/lead-statuses';

const BATCH_SIZE = 5000;
/** Numbers of one addition named in its audit row (the counts cover all). */
const AUDITED_PHONES = 100;
const CURSOR_TAG = 'suppressions';
const REASON_HEADERS = ['reason', 'motif', 'raison', 'comment', 'commentaire'];

/**
 * Adds a batch of numbers and, in the same statement, marks every lead still waiting to be
 * called with one of them (`pending`, `retry_scheduled`, in any campaign) as `suppressed`.
 * A lead in `calling` keeps its live call; the dialer refuses suppressed numbers at dial time.
 * `now()` is the transaction's start, so rows already holding it were added by an earlier batch
 * of the same request: those are repeats, not numbers that were already on the list.
 */
const ADD_BATCH = `
  WITH given AS (
    SELECT phone, reason FROM json_to_recordset($1::json) AS t(phone text, reason text)
  ), input AS (
    SELECT DISTINCT ON (phone) phone, reason FROM given ORDER BY phone
  ), earlier AS (
    SELECT count(*)::int AS n FROM suppressions s JOIN input i ON i.phone = s.phone WHERE s.created_at = now()
  ), added AS (
    INSERT INTO suppressions (phone, reason) SELECT phone, reason FROM input ON CONFLICT (phone) DO NOTHING RETURNING 1
  ), leads_hit AS (
    UPDATE leads SET status = 'suppressed', status_reason = 'on the do-not-call list', next_attempt_at = NULL,
                     updated_at = now()
    WHERE phone IN (SELECT phone FROM input) AND status IN ${DIALABLE_LEAD_STATUSES_SQL}
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM given)::int AS given, (SELECT count(*) FROM input)::int AS distinct_phones,
         (SELECT n FROM earlier) AS earlier, (SELECT count(*) FROM added)::int AS added,
         (SELECT count(*) FROM leads_hit)::int AS leads`;

interface BatchCounts {
  given: number;
  distinct_phones: number;
  earlier: number;
  added: number;
  leads: number;
}

class AddTally {
  received = 0;
  added = 0;
  alreadySuppressed = 0;
  duplicates = 0;
  rejected = 0;
  leadsSuppressed = 0;
  errorCount = 0;
  errors: SuppressionErrorDto[] = [];

  reject(e: SuppressionErrorDto): void {
    this.rejected++;
    this.errorCount++;
    if (this.errors.length < MAX_LISTED_ERRORS) this.errors.push(e);
  }

  count(c: BatchCounts): void {
    this.added += c.added;
    this.duplicates += c.given - c.distinct_phones + c.earlier;
    this.alreadySuppressed += c.distinct_phones - c.earlier - c.added;
    this.leadsSuppressed += c.leads;
  }

  result(): AddSuppressionsResultDto {
    return {
      received: this.received,
      added: this.added,
      already_suppressed: this.alreadySuppressed,
      duplicates: this.duplicates,
      rejected: this.rejected,
      leads_suppressed: this.leadsSuppressed,
      errors: this.errors,
      error_count: this.errorCount,
    };
  }
}

/** The do-not-call list: numbers never dialled, in any campaign. */
@Injectable()
export class SuppressionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly uploads: UploadGate,
    private readonly audit: AuditTrail,
  ) {}

  async addPhones(dto: AddSuppressionsDto): Promise<AddSuppressionsResultDto> {
    const tally = new AddTally();
    const country = dto.default_country as CountryCode | undefined;
    const valid: { phone: string; reason: string | null }[] = [];
    dto.phones.forEach((raw, index) => {
      tally.received++;
      const phone = normalizePhone(raw, country);
      if (phone.ok) valid.push({ phone: phone.e164, reason: dto.reason ?? null });
      else tally.reject({ index, message: phone.message });
    });
    await this.inTransaction(async (qr) => {
      for (let i = 0; i < valid.length; i += BATCH_SIZE) {
        tally.count(await addBatch(qr, valid.slice(i, i + BATCH_SIZE)));
      }
      await this.recordAdd(qr, tally, valid, 'json');
    });
    return tally.result();
  }

  /** A CSV of numbers, read like a lead file; all or nothing, like a lead import. */
  async addCsv(query: SuppressionsCsvQuery, req: Request): Promise<AddSuppressionsResultDto> {
    const upload = await this.uploads.open(req);
    const tally = new AddTally();
    const country = query.default_country as CountryCode | undefined;
    const sample: { phone: string }[] = [];
    try {
      await this.inTransaction(async (qr) => {
        const csv = await openCsv(upload.bytes, {
          delimiter: query.delimiter ? DELIMITER_NAMES[query.delimiter] : undefined,
          encoding: query.encoding,
        });
        try {
          const phoneColumn = findPhoneColumn(csv.header, query.phone_column);
          const keys = csv.header.map(toVariableKey);
          const reasonIndex = keys.findIndex(
            (k, i) => i !== phoneColumn.index && REASON_HEADERS.includes(k),
          );
          let batch: { phone: string; reason: string | null }[] = [];
          for await (const { row, cells } of csv.rows()) {
            if (cells.every((c) => c.trim() === '')) continue;
            tally.received++;
            const phone = normalizePhone(cells[phoneColumn.index] ?? '', country);
            if (!phone.ok) {
              tally.reject({ row, column: phoneColumn.header, message: phone.message });
              continue;
            }
            const reason =
              (reasonIndex >= 0 ? cells[reasonIndex]?.trim() : '') || query.reason || null;
            batch.push({ phone: phone.e164, reason });
            if (batch.length >= BATCH_SIZE) {
              sample.push(...batch.slice(0, AUDITED_PHONES - sample.length));
              tally.count(await addBatch(qr, batch));
              batch = [];
            }
          }
          if (batch.length > 0) tally.count(await addBatch(qr, batch));
          sample.push(...batch.slice(0, AUDITED_PHONES - sample.length));
        } finally {
          csv.close();
        }
        if (tally.received === 0) {
          throw new BadRequestException(
            'The file has a header row but no data rows: nothing to add',
          );
        }
        await this.recordAdd(qr, tally, sample, 'csv');
      });
    } catch (err) {
      upload.discard();
      throw err;
    }
    return tally.result();
  }

  async list(query: ListSuppressionsQuery): Promise<SuppressionPageDto> {
    const limit = query.limit ?? 100;
    const [after] = query.cursor ? decodeCursor(CURSOR_TAG, query.cursor, ['e164']) : [''];
    const search = query.search?.trim() ?? '';
    // Digits as typed nationally (06 12…) also match the E.164 form (+336 12…).
    const digits = search.replace(/\D/g, '').replace(/^0/, '');
    const rows = await this.db.query<
      {
        phone: string;
        reason: string | null;
        source: { campaign_id: string; call_id: string | null } | null;
        created_at: Date;
      }[]
    >(
      `SELECT phone, reason, source, created_at FROM suppressions
        WHERE phone > $1
          AND ($3 = '' OR ($4 <> '' AND phone LIKE '%' || $4 || '%') OR reason ILIKE '%' || $3 || '%')
        ORDER BY phone LIMIT $2`,
      [after, limit + 1, likeEscape(search), digits],
    );
    const page = rows.slice(0, limit);
    return {
      data: page.map((r) => ({
        phone: r.phone,
        reason: r.reason,
        source: r.source,
        created_at: r.created_at.toISOString(),
      })),
      next_cursor:
        rows.length > limit ? encodeCursor(CURSOR_TAG, page[page.length - 1].phone) : null,
    };
  }

  /**
   * Takes a number off the list. Leads already marked `suppressed` stay so (a final status):
   * import them again into a new campaign to call them.
   */
  async remove(rawPhone: string): Promise<void> {
    const phone = normalizePhone(rawPhone);
    if (!phone.ok) {
      throw new BadRequestException({
        message: `phone must be an E.164 number such as +33612345678 (URL-encoded as %2B33612345678): ${phone.message}`,
        details: [{ field: 'phone', message: phone.message }],
      });
    }
    await this.inTransaction(async (qr) => {
      // A DELETE … RETURNING answers [rows, count] through TypeORM.
      const [[deleted]] = (await qr.query(
        'DELETE FROM suppressions WHERE phone = $1 RETURNING reason',
        [phone.e164],
      )) as [{ reason: string | null }[], number];
      if (!deleted) throw new NotFoundException(`${phone.e164} is not on the do-not-call list`);
      await this.audit.record(qr, {
        action: 'suppression.remove',
        targetType: 'phone',
        targetId: phone.e164,
        summary: { reason: deleted.reason },
      });
    });
  }

  /**
   * The do-not-call list is itself kept by law, so its audit rows may name the numbers: all of
   * them when one number was added, the first AUDITED_PHONES of a larger batch, and the counts.
   */
  private async recordAdd(
    qr: QueryRunner,
    tally: AddTally,
    phones: { phone: string }[],
    source: 'json' | 'csv',
  ): Promise<void> {
    const r = tally.result();
    await this.audit.record(qr, {
      action: 'suppression.add',
      targetType: 'phone',
      targetId: phones.length === 1 && r.received === 1 ? phones[0].phone : null,
      summary: {
        source,
        received: r.received,
        added: r.added,
        already_suppressed: r.already_suppressed,
        rejected: r.rejected,
        leads_suppressed: r.leads_suppressed,
        phones: phones.slice(0, AUDITED_PHONES).map((p) => p.phone),
      },
    });
  }

  private async inTransaction(work: (qr: QueryRunner) => Promise<void>): Promise<void> {
    const qr = this.db.createQueryRunner();
    try {
      await qr.connect();
      await qr.startTransaction();
      await work(qr);
      await qr.commitTransaction();
    } catch (err) {
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      throw err;
    } finally {
      await qr.release();
    }
  }
}

async function addBatch(
  qr: QueryRunner,
  batch: { phone: string; reason: string | null }[],
): Promise<BatchCounts> {
  const [counts] = (await qr.query(ADD_BATCH, [JSON.stringify(batch)])) as BatchCounts[];
  return counts;
}

/** Text matched literally by LIKE: its own % and _ are escaped. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
