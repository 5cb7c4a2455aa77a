import { BadRequestException } from '@nestjs/common';
import { parse, type Parser } from 'csv-parse';
import { pipeline, Readable } from 'node:stream';
import { countHeaderColumns, MAX_COLUMNS, tooManyColumns } from './column-limit';
import { type Delimiter, headerLineEnd, sniffDelimiter } from './delimiter';
import { looksGarbled } from './legacy-encoding';
import { CsvTextDecoder } from './text-decoder';

/** One record of the file, numbered as a spreadsheet shows it (the header is row 1). */
export interface CsvRow {
  row: number;
  cells: string[];
}

/** Consecutive records: `records[i]` is row `firstRow + i`. */
export interface RowBatch {
  firstRow: number;
  records: string[][];
}

export interface CsvReadOptions {
  /** Overrides the delimiter sniffed from the header line. */
  delimiter?: Delimiter;
  /** Overrides the encoding detection (any iconv-lite name). */
  encoding?: string;
}

export interface OpenedCsv {
  header: string[];
  delimiter: Delimiter;
  /** As detected so far: a file that is ASCII at first settles when its first other byte comes. */
  readonly encoding: string;
  /** How the header line ends: `CRLF` (Windows), `LF`, or `CR` alone (old Mac files). */
  lineEnding: 'CRLF' | 'LF' | 'CR' | null;
  /** Decoding problems and headers that read like mojibake, so far (complete once read). */
  readonly warnings: string[];
  /** The data rows, in file order, in arrays of what has been parsed; readable once. */
  batches(): AsyncGenerator<RowBatch>;
  /** The data rows one by one (a convenience over batches()). */
  rows(): AsyncGenerator<CsvRow>;
  /** Stops reading (frees the parser and the upload). Safe to call more than once. */
  close(): void;
}

const MAX_HEADER_BYTES = 1 << 20;
/** A record this long is almost always an unclosed quote swallowing the rest of the file. */
const MAX_RECORD_BYTES = 1 << 20;
const RECORDS_PER_BATCH = 256;

/**
 * Opens a CSV file given as a stream of bytes: decodes it (see CsvTextDecoder), sniffs the
 * delimiter from the header line and parses it as a stream, so that memory stays bounded
 * whatever the file's size.
 *
 * Row numbers: every record counts, blank lines included (csv-parse's `skip_empty_lines` is off
 * and a blank line comes out as a record of one empty cell), and a quoted field spanning several
 * lines is one record; so the n-th record is row n, as in a spreadsheet.
 *
 * Quotes are read leniently (`"` inside an unquoted field is kept as text); only a quote never
 * closed, which would swallow the rest of the file, makes the file unreadable (400).
 */
export async function openCsv(
  bytes: AsyncIterable<Buffer>,
  options: CsvReadOptions = {},
): Promise<OpenedCsv> {
  const decoder = new CsvTextDecoder(options.encoding);
  const text = decoder.decode(bytes);
  const peeked: Buffer[] = [];
  let firstLine: string | null = null;
  let lineEnding: OpenedCsv['lineEnding'] = null;
  for (;;) {
    const next = await text.next();
    if (next.done) break;
    peeked.push(next.value);
    const seen = Buffer.concat(peeked);
    const end = headerLineEnd(seen);
    if (end >= 0) {
      firstLine = seen.subarray(0, end).toString('utf8');
      if (seen[end] === 0x0a) lineEnding = 'LF';
      else if (end + 1 < seen.length) lineEnding = seen[end + 1] === 0x0a ? 'CRLF' : 'CR';
      break;
    }
    if (seen.length > MAX_HEADER_BYTES) {
      await text.return(undefined);
      throw new BadRequestException(
        'The first row (the header) is longer than 1 MB: this does not look like a CSV file',
      );
    }
  }
  firstLine ??= Buffer.concat(peeked).toString('utf8');
  const delimiter = options.delimiter ?? sniffDelimiter(firstLine);
  const columns = countHeaderColumns(firstLine, delimiter);
  if (columns > MAX_COLUMNS) {
    await text.return(undefined);
    throw tooManyColumns(columns);
  }

  const parser = parse({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_BYTES,
  });
  const source = Readable.from(replay(peeked, text), { objectMode: false, highWaterMark: 1 << 16 });
  // pipeline() hands an error of the upload or the decoder (413, 415, aborted) to the parser,
  // whose iterator then throws it to the reader.
  pipeline(source, parser, () => undefined);
  // Errors are read from parser.errored; this keeps an 'error' between two reads from being unhandled.
  parser.on('error', () => undefined);
  const close = () => {
    if (!parser.destroyed) parser.destroy();
  };
  const records = recordBatches(parser);

  let first: IteratorResult<string[][]>;
  try {
    first = await records.next();
  } catch (err) {
    close();
    throw describeCsvError(err, 1);
  }
  if (first.done || first.value[0].every((c) => c.trim() === '')) {
    close();
    throw new BadRequestException(
      'The file is empty, or its first row (which must hold the column names) is blank',
    );
  }
  const [header, ...rest] = first.value;
  const batches = () => numberRows(rest, records, close);
  const garbled = header.filter((h) => looksGarbled(h)).map((h) => JSON.stringify(h.trim()));
  const headerWarnings =
    garbled.length > 0
      ? [
          `the header ${garbled.slice(0, 5).join(', ')} reads like the wrong encoding (${decoder.encoding ?? 'utf-8'}): check the variable names, or pass the encoding query parameter`,
        ]
      : [];
  return {
    header,
    delimiter,
    lineEnding,
    get encoding() {
      return decoder.encoding ?? 'utf-8';
    },
    get warnings() {
      return [...decoder.warnings, ...headerWarnings];
    },
    batches,
    rows: async function* () {
      for await (const { firstRow, records } of batches()) {
        for (let i = 0; i < records.length; i++) yield { row: firstRow + i, cells: records[i] };
      }
    },
    close,
  };
}

async function* replay(peeked: Buffer[], rest: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  yield* peeked;
  peeked.length = 0;
  yield* rest;
}

/**
 * Records in arrays of what the parser holds: one await per few hundred rows, not per row.
 * Small arrays keep few records alive at once, so that they die young: the garbage collector
 * copies (and soon promotes) whatever is still alive when it runs.
 */
async function* recordBatches(parser: Parser): AsyncGenerator<string[][]> {
  for (;;) {
    const batch: string[][] = [];
    while (batch.length < RECORDS_PER_BATCH) {
      const record = parser.read() as string[] | null;
      if (record === null) break;
      batch.push(record);
    }
    if (batch.length > 0) {
      yield batch;
      continue;
    }
    if (parser.errored) throw parser.errored;
    if (parser.readableEnded) return;
    if (parser.destroyed) throw new Error('The CSV parser was closed');
    await nextEvent(parser);
  }
}

function nextEvent(stream: Parser): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('readable', done).off('end', done).off('error', done).off('close', done);
      resolve();
    };
    stream.once('readable', done).once('end', done).once('error', done).once('close', done);
  });
}

async function* numberRows(
  first: string[][],
  records: AsyncGenerator<string[][]>,
  close: () => void,
): AsyncGenerator<RowBatch> {
  let next = 2;
  try {
    if (first.length > 0) {
      yield { firstRow: next, records: first };
      next += first.length;
    }
    for await (const batch of records) {
      yield { firstRow: next, records: batch };
      next += batch.length;
    }
  } catch (err) {
    throw describeCsvError(err, next);
  } finally {
    close();
  }
}

/** csv-parse's errors, in words a spreadsheet user can act on; other errors pass unchanged. */
function describeCsvError(err: unknown, fallbackRow: number): unknown {
  const e = err as { code?: string; records?: number };
  if (typeof e?.code !== 'string' || !e.code.startsWith('CSV_')) return err;
  // `records` counts the records parsed before the faulty one, the header included.
  const row = typeof e.records === 'number' ? e.records + 1 : fallbackRow;
  if (e.code === 'CSV_QUOTE_NOT_CLOSED' || e.code === 'CSV_MAX_RECORD_SIZE') {
    return new BadRequestException({
      message: `Row ${row}: a quoted field that starts here is never closed, so the rest of the file cannot be read`,
      details: [{ field: 'file', row, message: 'unclosed quote' }],
    });
  }
  return new BadRequestException({
    message: `Row ${row} cannot be read as CSV: ${(err as Error).message}`,
    details: [{ field: 'file', row, message: (err as Error).message }],
  });
}
