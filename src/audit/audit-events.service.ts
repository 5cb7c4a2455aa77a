import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { stringify } from 'csv-stringify';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { neutralise } from '../common/cell-safety';
import type {
  AuditEventDto,
  AuditEventPageDto,
  AuditEventsQuery,
  AuditFilterQuery,
} from './dto/audit-events.dto';

interface AuditRow {
  id: string;
  at: Date;
  key_id: string | null;
  key_name: string;
  role: string;
  action: string;
  target_type: string;
  target_id: string | null;
  summary: Record<string, unknown>;
  client_address: string | null;
  request_id: string | null;
}

const CURSOR_TAG = 'audit-events';
const CSV_BATCH = 1000;
const CSV_COLUMNS = [
  'id',
  'at',
  'key_id',
  'key_name',
  'role',
  'action',
  'target_type',
  'target_id',
  'summary',
  'client_address',
  'request_id',
];

/** Reads the audit trail, newest first: the JSON pages and the CSV (streamed in batches). */
@Injectable()
export class AuditEventsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(q: AuditEventsQuery): Promise<AuditEventPageDto> {
    const limit = q.limit ?? 100;
    const before = q.cursor ? decodeCursor(CURSOR_TAG, q.cursor, ['seq'])[0] : undefined;
    const rows = await this.page(q, before, limit + 1);
    const page = rows.slice(0, limit);
    return {
      data: page.map(view),
      next_cursor: rows.length > limit ? encodeCursor(CURSOR_TAG, page[page.length - 1].id) : null,
    };
  }

  async writeCsv(q: AuditFilterQuery, out: Writable): Promise<void> {
    const page = (before: string | undefined) => this.page(q, before, CSV_BATCH);
    async function* lines() {
      yield CSV_COLUMNS;
      let before: string | undefined;
      for (;;) {
        const rows = await page(before);
        for (const r of rows) {
          yield [
            r.id,
            new Date(r.at).toISOString(),
            r.key_id ?? '',
            r.key_name,
            r.role,
            r.action,
            r.target_type,
            r.target_id ?? '',
            JSON.stringify(r.summary),
            r.client_address ?? '',
            r.request_id ?? '',
          ].map((v) => neutralise(String(v)));
        }
        if (rows.length < CSV_BATCH) return;
        before = rows[rows.length - 1].id;
      }
    }
    await pipeline(lines(), stringify({ eof: true }), out);
  }

  private page(
    q: AuditFilterQuery,
    before: string | undefined,
    limit: number,
  ): Promise<AuditRow[]> {
    const params: unknown[] = [limit];
    const where: string[] = [];
    if (before) where.push(`id < $${params.push(before)}::bigint`);
    if (q.from) where.push(`at >= $${params.push(q.from)}::timestamptz`);
    if (q.to) where.push(`at < $${params.push(q.to)}::timestamptz`);
    if (q.actor) where.push(`(key_id = $${params.push(q.actor)} OR key_name = $${params.length})`);
    if (q.action) where.push(`action = $${params.push(q.action)}`);
    if (q.target) where.push(`target_id = $${params.push(q.target)}`);
    return this.db.query(
      `SELECT id::text, at, key_id, key_name, role, action, target_type, target_id, summary, client_address, request_id
         FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY id DESC LIMIT $1`,
      params,
    );
  }
}

function view(r: AuditRow): AuditEventDto {
  return {
    id: r.id,
    at: new Date(r.at).toISOString(),
    actor: { key_id: r.key_id, key_name: r.key_name, role: r.role },
    action: r.action,
    target_type: r.target_type,
    target_id: r.target_id,
    summary: r.summary,
    client_address: r.client_address,
    request_id: r.request_id,
  };
}
