import type { RowError } from './lead-row-mapper';

/** A line after the data that is not a record: a report's footer, a note. */
export interface IgnoredRow {
  row: number;
  text: string;
}

/** A rejected row held back until it is known whether data follows it. */
export interface HeldRow {
  row: number;
  cells: string[];
  errors: RowError[];
}

/** Footers of CRM reports and spreadsheets: Salesforce's, HubSpot's, Zoho's, "Total" lines. */
const FOOTER =
  /^(?:grand\s+totals?|totals?|sub-?totals?|sum|count|total\s+g[ée]n[ée]ral|copyright|©|\(c\)|confidential|confidentiel|generated|exported|report\s+generated|powered\s+by|filtered\s+by|page\s+\d|\d+\s+records?)\b/i;
/** More such rows in a row than this are data after all (and never all held in memory). */
const MAX_HELD = 50;
const MAX_TEXT = 200;

/**
 * Tells trailing non-record lines from rejected leads. A rejected row that looks like a footer
 * (a single non-empty cell holding words, or a first cell such as "Grand Totals", "Copyright",
 * "Confidential")
 * is held back; if a record follows, it was a rejected lead after all (`release`); if the file
 * ends first, it is an ignored row (`finish`). Blank rows in between change nothing.
 */
export class TrailingLines {
  private held: HeldRow[] = [];

  /** `columns`: the header's; in a one-column file a lone cell is just a record. */
  constructor(private readonly columns: number) {}

  get holding(): boolean {
    return this.held.length > 0;
  }

  /** Holds a rejected row when it may be a footer; false when it is a rejected lead now. */
  hold(row: number, cells: string[], errors: RowError[]): boolean {
    if (this.held.length >= MAX_HELD || !looksLikeFooter(cells, this.columns)) return false;
    this.held.push({ row, cells, errors: [...errors] });
    return true;
  }

  /** A record came after the held rows: they were rejected leads. */
  release(): HeldRow[] {
    const rows = this.held;
    this.held = [];
    return rows;
  }

  /** The file ended: the rows still held were not records. */
  finish(): IgnoredRow[] {
    return this.release().map(({ row, cells }) => ({ row, text: textOf(cells) }));
  }
}

function looksLikeFooter(cells: string[], columns: number): boolean {
  let filled = 0;
  let first = '';
  for (const c of cells) {
    const t = c.trim();
    if (t === '') continue;
    if (filled++ === 0) first = t;
  }
  // A lone cell with words in it (not a mistyped number) in a file of several columns.
  return (filled === 1 && columns > 1 && /\p{L}/u.test(first)) || FOOTER.test(first);
}

function textOf(cells: string[]): string {
  const text = cells
    .map((c) => c.trim())
    .filter(Boolean)
    .join(' ');
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}
