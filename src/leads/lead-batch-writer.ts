import type { MappedLead } from './lead-row-mapper';

type Query = (sql: string, params: unknown[]) => Promise<{ pending: number; suppressed: number }[]>;

/**
 * One statement per batch: the rows travel as one JSON array. A number on the do-not-call list
 * (one index probe per row, whatever the list's size) goes in as `suppressed`: a final status,
 * so it shows in counts and reports but is never dialled. A number already a lead of the
 * campaign, or earlier in the same file, is skipped by the unique index on (phone, campaign_id).
 * Rows go in file order, so the first occurrence wins.
 */
const INSERT_BATCH = `
  WITH input AS (
    SELECT (e->>0)::int AS row_number, e->>1 AS phone, e->>2 AS timezone, e->3 AS variables, ord
    FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(e, ord)
  ), checked AS (
    SELECT i.*, EXISTS (SELECT 1 FROM suppressions s WHERE s.phone = i.phone) AS dnc FROM input i
  ), inserted AS (
    INSERT INTO leads (campaign_id, import_id, row_number, phone, timezone, variables, status, status_reason)
    SELECT $1, $2, row_number, phone, timezone, variables,
           CASE WHEN dnc THEN 'suppressed' ELSE 'pending' END,
           CASE WHEN dnc THEN 'on the do-not-call list' END
    FROM checked
    ORDER BY ord
    ON CONFLICT (campaign_id, phone) DO NOTHING
    RETURNING status
  )
  SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
         count(*) FILTER (WHERE status = 'suppressed')::int AS suppressed
  FROM inserted`;

/**
 * Writes leads in batches on the import's transaction, one batch in flight while the next is
 * being parsed: parsing and PostgreSQL work in parallel, and memory holds at most two batches.
 * A batch is built as bytes in a Buffer (outside the JS heap) rather than as strings: strings
 * kept for a whole batch outlive the young generation and made garbage collection a fifth of
 * the import's CPU time. The Buffer goes as a binary jsonb parameter (a version byte, 1, then
 * the JSON text): PostgreSQL parses it once, and reading jsonb elements is then cheap.
 */
export class LeadBatchWriter {
  /** Leads inserted as `pending`. */
  pending = 0;
  /** Leads inserted as `suppressed`. */
  suppressed = 0;
  /** Rows handed to the database (the difference with what it inserted is the duplicates). */
  sent = 0;
  private batch = new ByteBatch();
  /** The batch being written; its buffer is reused once that write is done. */
  private sending: ByteBatch | null = null;
  private inflight: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly query: Query,
    private readonly campaignId: string,
    private readonly importId: string,
    private readonly batchSize = 5000,
  ) {}

  /** Queues a lead; true when the batch is full and `flush()` must be awaited before adding more. */
  add(lead: MappedLead): boolean {
    const tz = lead.timezone === null ? 'null' : JSON.stringify(lead.timezone);
    // The phone is E.164 (a + and digits): nothing to escape.
    this.batch.append(`[${lead.row},"${lead.phone}",${tz},${lead.variables}]`);
    return this.batch.count >= this.batchSize;
  }

  /** Sends the current batch once the previous one is done; does not wait for this one. */
  async flush(): Promise<void> {
    await this.settle();
    if (this.batch.count === 0) return;
    const batch = this.batch;
    // Two buffers in turn rather than a new one per batch: a Buffer is freed only when the
    // garbage collector gets to it, and hundreds of them waiting made the process grow.
    this.batch = this.sending?.reset() ?? new ByteBatch();
    this.sending = batch;
    this.sent += batch.count;
    this.inflight = this.query(INSERT_BATCH, [
      this.campaignId,
      this.importId,
      batch.toJsonb(),
    ]).then(
      ([counts]) => {
        this.pending += counts.pending;
        this.suppressed += counts.suppressed;
      },
      (error: unknown) => {
        this.failure = { error };
      },
    );
  }

  /** Sends what is left and waits for every batch. */
  async finish(): Promise<void> {
    await this.flush();
    await this.settle();
  }

  /** Waits for the batch in flight, if any, and rethrows its failure. */
  async settle(): Promise<void> {
    if (this.inflight) {
      await this.inflight;
      this.inflight = null;
    }
    if (this.failure) throw this.failure.error;
  }
}

/** A JSON array in jsonb's binary wire format, elements appended as UTF-8 to a growing Buffer. */
class ByteBatch {
  count = 0;
  private bytes: Buffer;
  private length = 2;

  constructor(capacity = 1 << 20) {
    this.bytes = Buffer.allocUnsafe(capacity);
    this.bytes[0] = 0x01; // jsonb binary format version
    this.bytes[1] = 0x5b; // [
  }

  append(element: string): void {
    // Room for the element in the worst case (3 bytes per UTF-16 unit), a comma and the closing ].
    const need = this.length + element.length * 3 + 2;
    if (need > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.bytes.length * 2));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    if (this.count > 0) this.bytes[this.length++] = 0x2c; // ,
    this.length += this.bytes.write(element, this.length, 'utf8');
    this.count++;
  }

  reset(): this {
    this.count = 0;
    this.length = 2;
    return this;
  }

  toJsonb(): Buffer {
    this.bytes[this.length] = 0x5d; // ]
    return this.bytes.subarray(0, this.length + 1);
  }
}
