import { Transform, TransformCallback } from 'node:stream';
import { Options, stringify, Stringifier } from 'csv-stringify';
import { neutralise } from '../common/cell-safety';
import { MULTI_VALUE_SEPARATOR, ReportColumn } from './report-columns';

export interface CsvOptions {
  /**
   * For Excel in locales whose list separator is `;` (French, German…): a UTF-8 BOM so that
   * accents survive, `;` between fields, and a decimal comma so that 12.5 is not read as a date.
   */
  excel: boolean;
}

/**
 * One cell's text. Every cell that would start a formula gets the `'` prefix: texts, phone
 * numbers (`'+33…`) and, for the rule to have no exception, negative numbers too.
 */
export function csvCell(value: unknown, options: CsvOptions): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return neutralise(options.excel ? String(value).replace('.', ',') : String(value));
  if (Array.isArray(value)) return neutralise(value.map(String).join(MULTI_VALUE_SEPARATOR));
  return neutralise(typeof value === 'string' ? value : JSON.stringify(value));
}


/**
 * RFC 4180 output (CRLF line ends; a field is quoted when it holds the delimiter, a quote or a
 * line break), the header record already written. Records are arrays of ready cells.
 */
export function csvStringifier(columns: ReportColumn[], options: CsvOptions): Stringifier {
  const stringifier = stringify({
    delimiter: options.excel ? ';' : ',',
    bom: options.excel,
    record_delimiter: 'windows',
    // Records leave as strings (the Coalescer joins them), not as one Buffer each.
    readableObjectMode: true,
  } as Options);
  stringifier.write(columns.map((c) => neutralise(c.header)));
  return stringifier;
}

/**
 * Joins the stringifier's one-string-per-record output into chunks of about 64 KB: each write to
 * an HTTP response costs a chunked-encoding frame, a conversion and a system call, a million of
 * them noticeably.
 */
export class Coalescer extends Transform {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly target = 64 * 1024) {
    super({ writableObjectMode: true });
  }

  override _transform(chunk: string | Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= this.target) this.flushParts();
    done();
  }

  override _flush(done: TransformCallback): void {
    this.flushParts();
    done();
  }

  private flushParts(): void {
    if (this.parts.length === 0) return;
    this.push(this.parts.join(''), 'utf8');
    this.parts = [];
    this.size = 0;
  }
}
