import { Transform, TransformCallback } from 'node:stream';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { CellValue, ReportColumn } from './report-columns';
import { LEAD_ROW_FROM, LeadFilter, leadFilterSql } from './report-rows';

/**
 * Every lead the filter selects, streamed from PostgreSQL with `COPY (SELECT …) TO STDOUT` on a
 * connection of its own: one statement (one consistent snapshot), rows flowing as fast as the
 * client takes them and no faster (TCP back-pressure reaches the server), nothing buffered
 * beyond a few stream chunks. The database extracts each column (lead columns, answers) so the
 * service only splits lines. Keyset pages of 5,000 read through node-postgres took about 2.5 times
 * as long for the same export, most of it parsing rows (docs/REPORT.md, "Limits").
 */
export interface LeadExport {
  /** Object mode: one array of cells per lead (each typed value through `cell`), in import order. */
  rows: Transform;
  /** Ends the connection; when the export did not finish, cancels the statement first. */
  close(): Promise<void>;
}

export async function openLeadExport<C>(
  databaseUrl: string,
  campaignId: string,
  filter: LeadFilter,
  columns: ReportColumn[],
  cell: (value: CellValue, column: number) => C,
): Promise<LeadExport> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'callrounded-report-export' });
  // A connection lost mid-export surfaces through the COPY stream; an unhandled 'error' event
  // on the client would take the whole process down with it.
  client.on('error', () => undefined);
  await client.connect();
  let finished = false;
  const literal = (v: unknown) =>
    Array.isArray(v)
      ? client.escapeLiteral(`{${v.map((x) => `"${String(x).replace(/["\\]/g, '\\$&')}"`).join(',')}}`)
      : client.escapeLiteral(String(v));
  const sql = `COPY (SELECT ${columns.map((c) => c.sql).join(', ')}
                       FROM ${LEAD_ROW_FROM}
                      WHERE ${leadFilterSql(campaignId, filter, literal).join(' AND ')}
                      ORDER BY l.seq) TO STDOUT`;
  const source = client.query(copyTo(sql));
  const decoders = columns.map((c) => c.decode);
  const rows = new CopyTextParser((fields) => {
    const cells = new Array<C>(decoders.length);
    for (let i = 0; i < decoders.length; i++) cells[i] = cell(decoders[i](copyField(fields[i])), i);
    return cells;
  });
  source.on('error', (err) => rows.destroy(err));
  source.on('end', () => (finished = true));
  source.pipe(rows);
  return {
    rows,
    close: async () => {
      source.unpipe(rows);
      if (!finished) {
        // The server is still sending: stop the statement, then leave.
        await cancel(databaseUrl, client).catch(() => undefined);
      }
      await client.end().catch(() => undefined);
    },
  };
}

/** Asks the server to stop the statement running on `client` (the protocol's cancel request). */
async function cancel(databaseUrl: string, client: Client): Promise<void> {
  const pid = (client as unknown as { processID: number | null }).processID;
  if (!pid) return;
  const other = new Client({ connectionString: databaseUrl });
  other.on('error', () => undefined);
  await other.connect();
  try {
    await other.query('SELECT pg_cancel_backend($1)', [pid]);
  } finally {
    await other.end();
  }
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** A COPY text field: `\N` is null; backslash, tab, newline and a few controls come escaped. */
export function copyField(field: string | undefined): string | null {
  if (field === undefined || field === '\\N') return null;
  if (field.indexOf('\\') < 0) return field;
  return field.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c);
}

/**
 * Splits COPY text output into lines and fields. Works on bytes: a newline byte never occurs
 * inside a UTF-8 character, so a line is decoded whole even when a chunk ends mid-character.
 * Lines are turned into items only as fast as the reader takes them (a 64 KB chunk holds some
 * 400 rows): few rows wait in memory, so they die young instead of filling the old heap.
 */
export class CopyTextParser<T> extends Transform {
  private rest: Buffer | null = null;
  private pending: { chunk: Buffer; pos: number; done: TransformCallback } | null = null;

  constructor(private readonly toItem: (fields: string[]) => T) {
    super({ writableObjectMode: false, readableObjectMode: true, readableHighWaterMark: 64 });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let pos = 0;
    if (this.rest) {
      // Only the line cut by the previous chunk is copied, not the whole new chunk.
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.rest = Buffer.concat([this.rest, chunk]);
        done();
        return;
      }
      const line = Buffer.concat([this.rest, chunk.subarray(0, nl)]);
      this.rest = null;
      try {
        this.push(this.toItem(line.toString('utf8').split('\t')));
      } catch (err) {
        done(err as Error);
        return;
      }
      pos = nl + 1;
    }
    this.pending = { chunk, pos, done };
    this.continueChunk();
  }

  override _read(size: number): void {
    if (this.pending) {
      this.continueChunk();
      if (this.pending) return;
    }
    super._read(size);
  }

  override _flush(done: TransformCallback): void {
    done(this.rest && this.rest.length > 0 ? new Error('COPY output ended mid-line') : null);
  }

  /** Pushes the current chunk's lines until the reader has enough; the rest waits for _read. */
  private continueChunk(): void {
    const p = this.pending as { chunk: Buffer; pos: number; done: TransformCallback };
    const { chunk } = p;
    try {
      for (let nl = chunk.indexOf(10, p.pos); nl >= 0; nl = chunk.indexOf(10, p.pos)) {
        const more = this.push(this.toItem(chunk.toString('utf8', p.pos, nl).split('\t')));
        p.pos = nl + 1;
        if (!more) return;
      }
    } catch (err) {
      this.pending = null;
      p.done(err as Error);
      return;
    }
    this.pending = null;
    // Copied, so that the (large) chunk itself can be freed.
    this.rest = p.pos < chunk.length ? Buffer.from(chunk.subarray(p.pos)) : null;
    p.done();
  }
}
