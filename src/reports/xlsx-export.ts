import { PassThrough, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { ClientGoneError } from './client-gone';
import type { CellValue, ReportColumn } from './report-columns';
import type { ReportSummary } from './report-summary';
import { LeadsSheetXml } from './xlsx/leads-sheet';
import { fixedParts } from './xlsx/package-parts';
import { summarySheetXml, XlsxCampaignInfo } from './xlsx/summary-sheet';

export type { XlsxCampaignInfo } from './xlsx/summary-sheet';

/**
 * Deflate level of the big sheet. Level 1 deflates 2.5 times as fast as the default 6 for a file
 * about 15 % larger (bench/report/RESULTS.md); deflate runs on libuv's thread pool, beside the
 * thread that writes the XML, and on two cores it is what bounds the export's time.
 */
const SHEET_COMPRESSION_LEVEL = 1;
/** Rows of XML gathered before each write into the zip (each write costs a stream round). */
const CHUNK_CHARS = 64 * 1024;
/** Rows read before the header is written: column widths come from them. */
const WIDTH_SAMPLE = 500;

interface EventSource {
  once(event: string, listener: () => void): unknown;
  off(event: string, listener: () => void): unknown;
}

/** Resolves on `drain` from `source`, and fails when `out` closed instead (the client left). */
function drainOf(source: EventSource, out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.destroyed && !out.writableFinished) {
      reject(new ClientGoneError());
      return;
    }
    const done = () => {
      source.off('drain', done);
      out.off('close', done);
      if (out.destroyed && !out.writableFinished) reject(new ClientGoneError());
      else resolve();
    };
    source.once('drain', done);
    out.once('close', done);
  });
}

/**
 * Streams the workbook into `out`: a zip (yazl) whose sheet "Leads" is XML written here row by
 * row (typed cells, inline strings, bold frozen header, auto-filter) and deflated as it goes,
 * waiting whenever the zip or the client falls behind; the small parts and sheet "Summary" go
 * first. Nothing grows with the number of leads but the row counter.
 */
export async function writeXlsx(
  out: Writable,
  columns: ReportColumn[],
  rows: AsyncIterable<CellValue[]>,
  campaign: XlsxCampaignInfo,
  summary: ReportSummary,
  generatedAt: Date,
): Promise<void> {
  const zip = new ZipFile();
  const mtime = generatedAt;
  const sent = pipeline(zip.outputStream, out);
  // Awaited at the end; a failure before then (the client left) must not go unhandled.
  sent.catch(() => undefined);
  const sheet = new PassThrough({ highWaterMark: CHUNK_CHARS });
  // The zip failing (it should not) ends the download: a cut transfer, never a file that looks whole.
  zip.on('error', (err: Error) => {
    sheet.destroy(err);
    out.destroy(err);
  });
  try {
    for (const [path, xml] of fixedParts(generatedAt)) zip.addBuffer(Buffer.from(xml), path, { mtime });
    zip.addBuffer(Buffer.from(summarySheetXml(campaign, summary, generatedAt)), 'xl/worksheets/sheet2.xml', {
      mtime,
    });
    zip.addReadStream(sheet, 'xl/worksheets/sheet1.xml', {
      mtime,
      compressionLevel: SHEET_COMPRESSION_LEVEL,
    });
    zip.end();

    await writeLeadsSheet(sheet, out, new LeadsSheetXml(columns), rows);
    await sent;
  } catch (err) {
    sheet.destroy();
    (zip.outputStream as unknown as Writable).destroy?.();
    throw err;
  }
}

async function writeLeadsSheet(
  sheet: PassThrough,
  out: Writable,
  xml: LeadsSheetXml,
  rows: AsyncIterable<CellValue[]>,
): Promise<void> {
  let chunk = '';
  /** Gathers XML; false when the zip wants us to wait (awaited only then: this runs per row). */
  const push = (text: string): boolean => {
    chunk += text;
    if (chunk.length < CHUNK_CHARS) return true;
    const more = sheet.write(chunk);
    chunk = '';
    return more;
  };
  const sample: CellValue[][] = [];
  let started = false;
  for await (const row of rows) {
    if (started) {
      if (!push(xml.row(row))) await drainOf(sheet, out);
      continue;
    }
    sample.push(row);
    if (sample.length < WIDTH_SAMPLE) continue;
    started = true;
    push(xml.head(sample));
    for (const r of sample) push(xml.row(r));
    sample.length = 0;
    if (sheet.writableNeedDrain) await drainOf(sheet, out);
  }
  if (!started) {
    push(xml.head(sample));
    for (const r of sample) push(xml.row(r));
  }
  sheet.end(chunk + xml.tail());
}
