import type { ClientBase } from 'pg';
import type { RowError } from './lead-row-mapper';

/** Rejected rows kept per import, and the bytes of their cells: beyond either, they are counted only. */
export const MAX_STORED_REJECTS = 100_000;
const MAX_STORED_BYTES = 64 * 1024 * 1024;
const ROWS_PER_INSERT = 1000;
const INSERT_REJECTS = `
  INSERT INTO lead_import_rejects (import_id, row_number, error, cells)
  SELECT $1, r.row_number, r.error, r.cells
    FROM jsonb_to_recordset($2::jsonb) AS r(row_number int, error text, cells jsonb)`;

/** Runs statements on the import's connection after the writes already queued on it. */
export type OnConnection = (task: (client: ClientBase) => Promise<void>) => Promise<void>;

/**
 * Stores an import's rejected rows (their raw cells and what is wrong with them) in
 * `lead_import_rejects`, on the import's transaction, a thousand rows per statement. Bounded:
 * past MAX_STORED_REJECTS rows or 64 MB of cells, rows are counted in `omitted` only.
 */
export class LeadRejectStore {
  omitted = 0;
  private stored = 0;
  private bytes = 0;
  private pending: { row_number: number; error: string; cells: string[] }[] = [];

  constructor(
    private readonly importId: string,
    private readonly onConnection: OnConnection,
  ) {}

  async add(row: number, cells: string[], errors: RowError[]): Promise<void> {
    let size = 0;
    for (const c of cells) size += c.length;
    if (this.stored >= MAX_STORED_REJECTS || this.bytes + size > MAX_STORED_BYTES) {
      this.omitted++;
      return;
    }
    this.stored++;
    this.bytes += size;
    this.pending.push({ row_number: row, error: describeErrors(errors), cells });
    if (this.pending.length >= ROWS_PER_INSERT) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const rows = JSON.stringify(this.pending);
    this.pending = [];
    await this.onConnection(async (client) => {
      await client.query(INSERT_REJECTS, [this.importId, rows]);
    });
  }
}

/** `Téléphone: "0612" is too short for FR; timezone: …` */
export function describeErrors(errors: RowError[]): string {
  return errors.map((e) => `${e.column}: ${e.message}`).join('; ');
}
