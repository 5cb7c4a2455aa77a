import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { neutralise } from '../common/cell-safety';
import { ClientGoneError } from './client-gone';
import { CellValue, MULTI_VALUE_SEPARATOR, ReportColumn } from './report-columns';
import type { ReportSummary } from './report-summary';

type XlsxValue = string | number | boolean | Date | null;

interface EventSource {
  once(event: string, listener: () => void): unknown;
  off(event: string, listener: () => void): unknown;
}

/** Resolves on `drain` from `source`, and fails when `out` closed instead (the client left). */
function drainOf(source: EventSource, out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
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
 * ExcelJS writes each sheet into the zip's input stream without heeding back-pressure: when
 * rows come faster than deflate (or the client) takes them, that stream's buffer grows without
 * bound (hundreds of MB for a million rows). This finds that stream so that we can wait for it.
 */
function zipInput(sheet: unknown): (EventSource & { _writableState?: { length?: number } }) | null {
  const pipe = (sheet as { stream?: { pipes?: unknown[] } }).stream?.pipes?.[0] as
    | (EventSource & { _writableState?: { length?: number } })
    | undefined;
  return pipe && typeof pipe.once === 'function' && pipe._writableState ? pipe : null;
}

const ZIP_BACKLOG_BYTES = 1 << 20;

async function keepPace(sheet: unknown, out: Writable): Promise<void> {
  const input = zipInput(sheet);
  if (input && (input._writableState?.length ?? 0) > ZIP_BACKLOG_BYTES) await drainOf(input, out);
  if (out.writableNeedDrain) await drainOf(out, out);
}

export interface XlsxCampaignInfo {
  id: string;
  name: string;
  status: string;
  created_at: Date | null;
  started_at: Date | null;
  completed_at: Date | null;
}

const DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss';

/**
 * One XLSX cell. Values keep their type (numbers, booleans, dates). Texts are written as text
 * cells, which Excel never runs; those that would start a formula if someone retyped the cell
 * still get the `'` prefix. Phone numbers are E.164 (validated at import): left as they are, so
 * `+33…` reads as the number.
 */
export function xlsxCell(value: unknown, column?: ReportColumn): XlsxValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (Array.isArray(value)) return neutralise(value.map(String).join(MULTI_VALUE_SEPARATOR));
  const text = String(value);
  if (column?.kind === 'phone' && /^\+\d{6,15}$/.test(text)) return text;
  return neutralise(text);
}

/** Widths from the header and the first rows' values, within 8..60 characters. */
function columnWidths(columns: ReportColumn[], sample: CellValue[][]): number[] {
  return columns.map((c, i) => {
    let width = c.header.length;
    for (const row of sample) {
      const v = xlsxCell(row[i], c);
      const len = v === null ? 0 : v instanceof Date ? 19 : String(v).length;
      if (len > width) width = len;
    }
    return Math.min(60, Math.max(8, width + 2));
  });
}

const WIDTH_SAMPLE = 500;

/**
 * Streams the workbook into `out`: sheet "Leads" (bold frozen header, auto-filter, typed cells)
 * written row by row, waiting for the client whenever the response's buffer is full, then the
 * sheet "Summary".
 */
export async function writeXlsx(
  out: Writable,
  columns: ReportColumn[],
  rows: AsyncIterable<CellValue[]>,
  campaign: XlsxCampaignInfo,
  summary: ReportSummary,
  generatedAt: Date,
): Promise<void> {
  // Loaded on first use: exceljs costs about 30 MB of memory that a CSV-only instance never needs.
  const { default: excel } = await import('exceljs');
  const workbook = new excel.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = 'callrounded-campaigns';
  workbook.created = generatedAt;
  const sheet = workbook.addWorksheet('Leads', { views: [{ state: 'frozen', ySplit: 1 }] });

  let widthsSet = false;
  const start = (sample: CellValue[][]) => {
    const widths = columnWidths(columns, sample);
    sheet.columns = columns.map((c, i) => ({
      key: `c${i}`,
      width: widths[i],
      style: c.kind === 'number' ? { numFmt: '0.###' } : {},
    }));
    const header = sheet.addRow(columns.map((c) => neutralise(c.header)));
    header.font = { bold: true };
    header.commit();
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
    widthsSet = true;
  };

  const add = (row: CellValue[]) => sheet.addRow(columns.map((c, i) => xlsxCell(row[i], c))).commit();
  const sample: CellValue[][] = [];
  let n = 0;
  for await (const row of rows) {
    if (!widthsSet) {
      sample.push(row);
      if (sample.length < WIDTH_SAMPLE) continue;
      start(sample);
      sample.forEach(add);
      continue;
    }
    add(row);
    if (++n % 256 === 0) await keepPace(sheet, out);
  }
  if (!widthsSet) {
    start(sample);
    sample.forEach(add);
  }
  sheet.commit();

  writeSummarySheet(workbook.addWorksheet('Summary'), campaign, summary, generatedAt);
  await workbook.commit();
}

function writeSummarySheet(
  sheet: ExcelJS.Worksheet,
  campaign: XlsxCampaignInfo,
  s: ReportSummary,
  generatedAt: Date,
): void {
  sheet.columns = [{ width: 36 }, { width: 24 }, { width: 14 }, { width: 14 }, { width: 14 }];
  const add = (cells: unknown[], bold = false) => {
    const row = sheet.addRow(cells.map((v) => xlsxCell(v)));
    if (bold) row.font = { bold: true };
    row.eachCell((cell) => {
      if (cell.value instanceof Date) cell.numFmt = DATE_FORMAT;
    });
    row.commit();
    return row;
  };
  const rate = (label: string, value: number | null) => {
    const row = sheet.addRow([label, value]);
    row.getCell(2).numFmt = '0.0%';
    row.commit();
  };
  add(['Campaign', campaign.name], true);
  add(['Campaign id', campaign.id]);
  add(['Status', campaign.status]);
  add(['Created at (UTC)', campaign.created_at]);
  add(['Started at (UTC)', campaign.started_at]);
  add(['Completed at (UTC)', campaign.completed_at]);
  add(['Report generated at (UTC)', generatedAt]);
  add([]);
  add(['Leads', s.leads]);
  add(['Dialled (a call was created)', s.dialled]);
  add(['Reached (a call completed)', s.reached]);
  add(['Qualified', s.qualified]);
  add(['Not qualified', s.not_qualified]);
  rate('Qualification rate (qualified ÷ reached)', s.qualification_rate);
  rate('Reach rate (reached ÷ dialled)', s.reach_rate);
  add(['Total cost', s.total_cost]);
  add(['Total duration (seconds)', s.total_duration_seconds]);
  const section = (title: string, counts: Record<string, number>) => {
    add([]);
    add([title, 'Leads'], true);
    for (const [k, n] of Object.entries(counts)) add([k, n]);
  };
  section('Leads by last call outcome', s.by_outcome);
  section('Leads by status', s.by_status);
  add([]);
  add(['Calls by outcome', 'Calls'], true);
  for (const [k, n] of Object.entries(s.calls.by_outcome)) add([k, n]);
  add(['All calls', s.calls.total]);

  for (const q of s.questions) {
    add([]);
    add([`Question: ${q.name}`, q.type ?? 'unknown type', 'Answered', 'No answer'], true);
    add(['', '', q.answered, q.no_answer]);
    if (q.type === 'number') {
      add(['Minimum', q.min ?? null]);
      add(['Mean', q.mean ?? null]);
      add(['Maximum', q.max ?? null]);
    }
    for (const [value, n] of Object.entries(q.counts ?? {})) add([value, n]);
  }
  sheet.commit();
}
