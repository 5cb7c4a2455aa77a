import type { ReportSummary } from '../report-summary';
import { cellXml, percentCell, XlsxValue } from './cell-xml';
import { PAGE_MARGINS, SHEET_START, STYLE } from './package-parts';
import { columnLetters } from './xml-text';

export interface XlsxCampaignInfo {
  id: string;
  name: string;
  status: string;
  created_at: Date | null;
  started_at: Date | null;
  completed_at: Date | null;
  /** The campaign's compliance.rules, in words. */
  calling_laws: string;
  /** No call starts after it (ends_at); null: no end date. */
  ends_at: Date | null;
  /** Why the campaign is paused (paused_reason), null when it is not. */
  paused_reason: string | null;
}

/** A value in column B shown as a percentage. */
class Percent {
  constructor(readonly value: number | null) {}
}

type SummaryRow = { cells: (XlsxValue | Percent)[]; bold?: boolean };

/** Sheet "Summary": the campaign, its figures and each question's distribution (a few hundred rows at most). */
export function summarySheetXml(campaign: XlsxCampaignInfo, s: ReportSummary, generatedAt: Date): string {
  const rows = summaryRows(campaign, s, generatedAt);
  let xml =
    SHEET_START +
    '<sheetFormatPr defaultRowHeight="15"/>' +
    '<cols><col min="1" max="1" width="36" customWidth="1"/><col min="2" max="2" width="24" customWidth="1"/>' +
    '<col min="3" max="5" width="14" customWidth="1"/></cols><sheetData>';
  rows.forEach((row, n) => {
    const r = n + 1;
    const cells = row.cells
      .map((v, i) => {
        const ref = `${columnLetters(i)}${r}`;
        return v instanceof Percent ? percentCell(ref, v.value) : cellXml(ref, v, false, row.bold);
      })
      .join('');
    // An empty row is left out, as a spreadsheet would.
    if (cells === '') return;
    const style = row.bold ? ` s="${STYLE.bold}" customFormat="1"` : '';
    xml += `<row r="${r}"${style}>${cells}</row>`;
  });
  return `${xml}</sheetData>${PAGE_MARGINS}</worksheet>`;
}

function summaryRows(campaign: XlsxCampaignInfo, s: ReportSummary, generatedAt: Date): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const add = (cells: SummaryRow['cells'], bold = false) => rows.push({ cells, bold });
  add(['Campaign', campaign.name], true);
  add(['Campaign id', campaign.id]);
  add(['Status', campaign.status]);
  add(['Created at (UTC)', campaign.created_at]);
  add(['Started at (UTC)', campaign.started_at]);
  add(['Completed at (UTC)', campaign.completed_at]);
  add(['Calling laws (compliance.rules)', campaign.calling_laws]);
  add(['Ends at (UTC, ends_at)', campaign.ends_at]);
  if (campaign.paused_reason) add(['Paused because (paused_reason)', campaign.paused_reason]);
  add(['Report generated at (UTC)', generatedAt]);
  add([]);
  add(['Leads', s.leads]);
  add(['Dialled (a call was created)', s.dialled]);
  add(['Reached (a call completed)', s.reached]);
  add(['Qualified', s.qualified]);
  add(['Not qualified', s.not_qualified]);
  add(['Qualification rate (qualified ÷ reached)', new Percent(s.qualification_rate)]);
  add(['Reach rate (reached ÷ dialled)', new Percent(s.reach_rate)]);
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
  return rows;
}
