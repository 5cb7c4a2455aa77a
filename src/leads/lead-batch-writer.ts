import type { ClientBase } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { MappedLead } from './lead-row-mapper';
import type { LeadSink } from './lead-sink';
import { PhoneSet } from './phone-set';
import { UuidV7Writer } from './uuid-v7';

const COPY_LEADS =
  'COPY leads (id, campaign_id, import_id, row_number, phone, timezone, variables) FROM STDIN (FORMAT binary)';
/** Batches written or waiting to be, beyond the one being filled (about 1 MB each). */
const MAX_BATCHES_QUEUED = 3;
/** The do-not-call list is probed by its primary key, once per number of the batch. */
const FIND_SUPPRESSED = 'SELECT phone FROM suppressions WHERE phone = ANY($1::text[])';
const MARK_SUPPRESSED = `
  WITH marked AS (
    UPDATE leads SET status = 'suppressed', status_reason = 'on the do-not-call list'
     WHERE campaign_id = $1 AND import_id = $2 AND phone = ANY($3::text[])
    RETURNING 1)
  SELECT count(*)::int AS n FROM marked`;

/**
 * Writes an import's leads with COPY, on the import's transaction, while the next batches are
 * parsed: parsing and PostgreSQL work in parallel, and memory holds at most a few batches.
 *
 * COPY cannot skip a row that breaks the unique index on (phone, campaign_id), so duplicates are
 * settled before a row is sent: the writer first loads the campaign's numbers (the import holds
 * the campaign's import lock, so no other writer adds any), then keeps every number of the file
 * in the same set. The first occurrence in the file wins; the unique index stays as the guarantee.
 *
 * Each batch's numbers are looked up on the do-not-call list next to its COPY; the few that are
 * on it are marked `suppressed` in one statement at the end (a final status: counted and
 * reported, never dialled).
 */
export class LeadBatchWriter implements LeadSink {
  /** Rows written as leads (the suppressed ones included). */
  inserted = 0;
  /** Leads marked `suppressed`; known once `finish()` is done. */
  suppressed = 0;
  /** Rows whose number is already a lead of the campaign, or earlier in the file. */
  duplicates = 0;
  private readonly numbers = new PhoneSet();
  private readonly onDoNotCallList: string[] = [];
  private probeDoNotCallList = true;
  private readonly fixedFields: Buffer;
  private readonly ids = new UuidV7Writer();
  private batch: CopyBatch;
  /** Written batches, whose buffers are reused. */
  private readonly spare: CopyBatch[] = [];
  /** The writes handed to the connection and not yet awaited, oldest first. */
  private readonly queued: Promise<void>[] = [];
  private lastWrite: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly client: ClientBase,
    private readonly campaignId: string,
    private readonly importId: string,
    private readonly batchSize = 5000,
  ) {
    this.fixedFields = Buffer.concat([uuidField(campaignId), uuidField(importId)]);
    this.batch = new CopyBatch(this.ids, this.fixedFields);
  }

  /** Leads inserted as `pending`. */
  get pending(): number {
    return this.inserted - this.suppressed;
  }

  /**
   * What the writer needs to know before the first row: the campaign's numbers (streamed: a large
   * campaign is never held as row objects), and whether the do-not-call list has any number to
   * look up. (A number suppressed while the import runs is caught when the dialler claims it.)
   */
  async prepare(): Promise<void> {
    const { rows } = await this.client.query<{ any: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM suppressions) AS any',
    );
    this.probeDoNotCallList = rows[0].any;
    await loadCampaignNumbers(this.client, this.campaignId, this.numbers);
  }

  /**
   * Queues a lead; false when its number is a duplicate (counted, not written). Returns true
   * when the batch is full and `flush()` must be awaited before adding more.
   */
  add(lead: MappedLead): boolean {
    if (!this.numbers.add(lead.phone)) {
      this.duplicates++;
      return false;
    }
    this.batch.append(lead, this.probeDoNotCallList);
    return this.batch.count >= this.batchSize;
  }

  /**
   * Hands the current batch to the connection, which writes batches one after the other. Waits
   * only when several are already queued: a few batches of slack absorb the moments when the
   * database is slower than the parser, or the other way round.
   */
  async flush(): Promise<void> {
    this.throwIfFailed();
    if (this.batch.count === 0) return;
    const batch = this.batch;
    this.lastWrite = this.lastWrite
      .then(() => this.write(batch))
      .then(() => void this.spare.push(batch.reset()))
      .catch((error: unknown) => {
        this.failure ??= { error };
      });
    this.queued.push(this.lastWrite);
    // Buffers are reused rather than allocated per batch: a Buffer is freed only when the
    // garbage collector gets to it, and hundreds of them waiting made the process grow.
    this.batch = this.spare.pop() ?? new CopyBatch(this.ids, this.fixedFields);
    if (this.queued.length > MAX_BATCHES_QUEUED) await this.queued.shift();
    this.throwIfFailed();
  }

  /**
   * Runs `task` on the import's connection once the writes queued before it are done (one
   * statement at a time on a connection); waits, like flush(), only when several are queued.
   */
  readonly onConnection = async (task: (client: ClientBase) => Promise<void>): Promise<void> => {
    this.throwIfFailed();
    this.lastWrite = this.lastWrite
      .then(() => (this.failure ? undefined : task(this.client)))
      .catch((error: unknown) => {
        this.failure ??= { error };
      });
    this.queued.push(this.lastWrite);
    if (this.queued.length > MAX_BATCHES_QUEUED) await this.queued.shift();
    this.throwIfFailed();
  };

  private async write(batch: CopyBatch): Promise<void> {
    if (this.failure) return;
    this.inserted += await copyRows(this.client, batch.bytes());
    if (!this.probeDoNotCallList) return;
    const found = await this.client.query<{ phone: string }>(FIND_SUPPRESSED, [batch.phones()]);
    for (const { phone } of found.rows) this.onDoNotCallList.push(phone);
  }

  /** Sends what is left, waits for every batch, then marks the leads on the do-not-call list. */
  async finish(): Promise<void> {
    await this.flush();
    await this.settle();
    if (this.onDoNotCallList.length === 0) return;
    const { rows } = await this.client.query<{ n: number }>(MARK_SUPPRESSED, [
      this.campaignId,
      this.importId,
      this.onDoNotCallList,
    ]);
    this.suppressed = rows[0].n;
  }

  /** Waits for every queued batch, and rethrows the first failure. */
  async settle(): Promise<void> {
    await Promise.all(this.queued.splice(0));
    this.throwIfFailed();
  }

  /** Lets the queued writes end (an import that failed must not roll back under them). */
  async abandon(): Promise<void> {
    this.failure ??= { error: new Error('abandoned') };
    await Promise.all(this.queued.splice(0));
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}

/** Adds the campaign's numbers to `numbers`, streamed: a large campaign is never held as row objects. */
export async function loadCampaignNumbers(
  client: ClientBase,
  campaignId: string,
  numbers: PhoneSet,
): Promise<void> {
  // COPY takes no parameters; the id is a uuid read from the campaigns table.
  const literal = client.escapeLiteral(campaignId);
  const stream = client.query(
    copyTo(`COPY (SELECT phone FROM leads WHERE campaign_id = ${literal}) TO STDOUT`),
  );
  let rest = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream as AsyncIterable<string>) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const phone of lines) numbers.add(phone);
  }
}

function copyRows(client: ClientBase, bytes: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const stream = client.query(copyFrom(COPY_LEADS));
    stream.on('error', reject);
    stream.on('finish', () => resolve(stream.rowCount));
    stream.end(bytes);
  });
}

const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const FIELDS_PER_ROW = 7;

/**
 * Rows in COPY's binary format, appended to a growing Buffer: ids and numbers go as their bytes,
 * with no text to escape on our side or to parse on PostgreSQL's. The batch also keeps its
 * numbers as a PostgreSQL array literal, as bytes: thousands of small strings held until the
 * batch is written survive into the old generation and made garbage collection cost more than
 * the CSV parsing.
 */
class CopyBatch {
  count = 0;
  private readonly rows = new ByteBuffer(1 << 20);
  private readonly numbers = new ByteBuffer(1 << 16);

  /** `fixed`: the campaign and import ids, as the length-prefixed fields they are in every row. */
  constructor(
    private readonly ids: UuidV7Writer,
    private readonly fixed: Buffer,
  ) {
    this.reset();
  }

  /** `keepNumber`: whether the number is to be looked up on the do-not-call list. */
  append(lead: MappedLead, keepNumber: boolean): void {
    const rows = this.rows;
    rows.reserve(2 + 4 + 16 + this.fixed.length + 4 + 4);
    rows.int16(FIELDS_PER_ROW);
    rows.int32(16);
    rows.length = this.ids.write(rows.buffer, rows.length);
    rows.bytes(this.fixed);
    rows.int32(4);
    rows.int32(lead.row);
    rows.ascii(lead.phone);
    if (lead.timezone === null) {
      rows.reserve(4);
      rows.int32(-1);
    } else rows.ascii(lead.timezone);
    rows.text(lead.variables, JSONB_VERSION);
    if (keepNumber) {
      if (this.numbers.length > 1) this.numbers.latin1(',');
      this.numbers.latin1(lead.phone);
    }
    this.count++;
  }

  reset(): this {
    this.count = 0;
    this.rows.length = 0;
    this.rows.bytes(COPY_SIGNATURE);
    this.rows.reserve(8);
    this.rows.int32(0); // flags
    this.rows.int32(0); // header extension length
    this.numbers.length = 0;
    this.numbers.latin1('{');
    return this;
  }

  /** The COPY data: header, rows, trailer. */
  bytes(): Buffer {
    this.rows.reserve(2);
    this.rows.int16(-1);
    return this.rows.view();
  }

  /** The batch's numbers as a text[] literal: `{+33…,+44…}` (E.164 needs no quoting). */
  phones(): string {
    return `${this.numbers.view().toString('latin1')}}`;
  }
}

/** jsonb's binary form: a version byte, then the JSON text. */
const JSONB_VERSION = 1;

class ByteBuffer {
  length = 0;
  buffer: Buffer;

  constructor(size: number) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  // Big-endian by hand: Buffer's writeInt*BE check their arguments on every call, a cost per field.
  int16(n: number): void {
    const b = this.buffer;
    b[this.length++] = n >> 8;
    b[this.length++] = n;
  }

  int32(n: number): void {
    const b = this.buffer;
    b[this.length++] = n >> 24;
    b[this.length++] = n >> 16;
    b[this.length++] = n >> 8;
    b[this.length++] = n;
  }

  bytes(b: Buffer): void {
    this.reserve(b.length);
    this.buffer.set(b, this.length);
    this.length += b.length;
  }

  latin1(text: string): void {
    this.reserve(text.length);
    this.length += this.buffer.write(text, this.length, 'latin1');
  }

  /**
   * A length-prefixed field of ASCII text (an E.164 number, an IANA zone name), copied by hand:
   * cheaper than a call to Buffer#write for a dozen characters.
   */
  ascii(text: string): void {
    this.reserve(4 + text.length);
    this.int32(text.length);
    const b = this.buffer;
    for (let i = 0; i < text.length; i++) b[this.length++] = text.charCodeAt(i);
  }

  /** A length-prefixed UTF-8 field, optionally led by one byte (jsonb's version). */
  text(text: string, lead?: number): void {
    // Room for the worst case: 3 bytes per UTF-16 unit.
    this.reserve(4 + 1 + text.length * 3);
    const at = this.length;
    let p = at + 4;
    if (lead !== undefined) this.buffer[p++] = lead;
    p += this.buffer.write(text, p, 'utf8');
    this.length = at;
    this.int32(p - at - 4);
    this.length = p;
  }

  view(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  reserve(bytes: number): void {
    const need = this.length + bytes;
    if (need <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(need, this.buffer.length * 2));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}

/** A uuid as a COPY binary field: its length (16), then its bytes. */
function uuidField(id: string): Buffer {
  const field = Buffer.alloc(20);
  field.writeInt32BE(16, 0);
  Buffer.from(id.replaceAll('-', ''), 'hex').copy(field, 4);
  return field;
}
