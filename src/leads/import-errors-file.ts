import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import * as iconv from 'iconv-lite';
import { once } from 'node:events';
import { DataSource } from 'typeorm';
import { ERROR_COLUMN } from './csv/header-mapping';

const PAGE = 5000;

interface ImportForErrors {
  file_name: string | null;
  header: string[] | null;
  options: { delimiter?: string; encoding?: string };
  rejects_omitted: number;
}

/**
 * GET …/imports/{import_id}/errors.csv: every rejected row of an import as the user wrote it,
 * led by a column `error` naming the field and the problem, in the upload's delimiter and
 * encoding family (UTF-8 with a BOM, UTF-16LE with a BOM, or the same single-byte encoding), so
 * that the rows are fixed in Excel and the file uploaded again (the import drops a first column
 * named `error`). Cells are written as they were read: this file goes back to its author.
 */
@Injectable()
export class ImportErrorsFile {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async write(campaignId: string, importId: string, res: Response): Promise<void> {
    const [found] = await this.db.query<ImportForErrors[]>(
      `SELECT file_name, header, options, rejects_omitted FROM lead_imports WHERE id = $1 AND campaign_id = $2`,
      [importId, campaignId],
    );
    if (!found)
      throw new NotFoundException(`Import ${importId} not found in campaign ${campaignId}`);
    const delimiter = found.options.delimiter ?? ',';
    const encode = encoderFor(found.options.encoding ?? 'utf-8');
    // An errors file sent back already has an `error` column: it is replaced, not repeated.
    const header = found.header ?? [];
    const skip = header[0]?.trim().toLowerCase() === ERROR_COLUMN ? 1 : 0;
    res.setHeader('Content-Type', `text/csv; charset=${encode.charset}; header=present`);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${errorsFileName(found.file_name, importId)}"`,
    );
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Rejected-Rows-Omitted', String(found.rejects_omitted));
    await send(res, encode.bom);
    const line = (cells: string[]) =>
      `${cells.map((c) => quote(c, delimiter)).join(delimiter)}\r\n`;
    await send(res, encode.text(line([ERROR_COLUMN, ...header.slice(skip)])));
    for (let after = 0; ;) {
      const rows = await this.db.query<{ row_number: number; error: string; cells: string[] }[]>(
        `SELECT row_number, error, cells FROM lead_import_rejects
          WHERE import_id = $1 AND row_number > $2 ORDER BY row_number LIMIT $3`,
        [importId, after, PAGE],
      );
      if (rows.length === 0) break;
      let chunk = '';
      for (const r of rows) chunk += line([r.error, ...r.cells.slice(skip)]);
      await send(res, encode.text(chunk));
      after = rows[rows.length - 1].row_number;
    }
    res.end();
  }
}

function encoderFor(encoding: string): {
  charset: string;
  bom: Buffer;
  text: (s: string) => Buffer;
} {
  const name = encoding.toLowerCase();
  if (/^utf-?8$/.test(name)) {
    return {
      charset: 'utf-8',
      bom: Buffer.from([0xef, 0xbb, 0xbf]),
      text: (s) => Buffer.from(s, 'utf8'),
    };
  }
  if (/^utf-?16/.test(name)) {
    // Excel's "Unicode text": UTF-16LE with a BOM, whichever byte order came in.
    return {
      charset: 'utf-16le',
      bom: Buffer.from([0xff, 0xfe]),
      text: (s) => Buffer.from(s, 'utf16le'),
    };
  }
  return { charset: name, bom: Buffer.alloc(0), text: (s) => iconv.encode(s, name) };
}

/** RFC 4180: quoted when it holds the delimiter, a quote, a line break, or edge spaces. */
function quote(cell: string, delimiter: string): string {
  if (cell.includes(delimiter) || /["\r\n]/.test(cell) || /^\s|\s$/.test(cell)) {
    return `"${cell.replaceAll('"', '""')}"`;
  }
  return cell;
}

function errorsFileName(fileName: string | null, importId: string): string {
  const base = (fileName ?? `import-${importId}`).replace(/\.(csv|tsv|txt)$/i, '');
  // Header-safe: ASCII letters, digits and a few marks.
  const safe =
    base
      .normalize('NFKD')
      .replace(/[^\w.-]+/g, '_')
      .slice(0, 100) || 'import';
  return `${safe}-errors.csv`;
}

async function send(res: Response, bytes: Buffer): Promise<void> {
  if (bytes.length === 0) return;
  if (!res.write(bytes)) await once(res, 'drain');
}
