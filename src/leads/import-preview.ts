import { ERROR_COLUMN, type LeadColumns } from './csv/header-mapping';
import type { OpenedCsv } from './csv/csv-reader';
import type { MappedLead } from './lead-row-mapper';

const SAMPLES = 3;
const LEADS = 5;
const MAX_SAMPLE = 100;

export type ColumnRole =
  'phone' | 'phone_fallback' | 'timezone' | 'variable' | 'dropped' | 'ignored';

export interface PreviewColumn {
  header: string;
  /** The variable the column becomes (null: it is not sent to the agent). */
  variable: string | null;
  role: ColumnRole;
  samples: string[];
}

export interface PreviewLead {
  row: number;
  to_number: string;
  dynamic_variables_values: Record<string, unknown>;
}

export interface ImportPreview {
  encoding: string;
  delimiter: string;
  line_ending: string | null;
  /** The header row (row 1) as read. */
  header: string[];
  phone_column: string;
  phone_column_reason: string;
  /** Every phone column, in the order each row tries them. */
  phone_columns: string[];
  columns: PreviewColumn[];
  /** The first leads, as their call would send them. */
  leads: PreviewLead[];
  missing_variables: string[];
}

/**
 * Gathers a dry run's preview while the file is read: three sample values per column and the
 * first five leads. It stops looking at cells once every column has its samples.
 */
export class PreviewCollector {
  readonly columns: PreviewColumn[];
  private readonly leads: PreviewLead[] = [];
  private hungry: number;

  constructor(
    private readonly csv: OpenedCsv,
    private readonly plan: LeadColumns,
    private readonly campaignVariables: Record<string, unknown>,
  ) {
    this.columns = describeColumns(csv.header, plan);
    this.hungry = this.columns.length;
  }

  observe(cells: string[], lead: MappedLead | null): void {
    if (lead && this.leads.length < LEADS) {
      this.leads.push({
        row: lead.row,
        to_number: lead.phone,
        // As the dialler sends them: the campaign's variables, then the lead's own.
        dynamic_variables_values: {
          ...this.campaignVariables,
          ...(JSON.parse(lead.variables) as Record<string, unknown>),
        },
      });
    }
    if (this.hungry === 0) return;
    for (let i = 0; i < this.columns.length; i++) {
      const samples = this.columns[i].samples;
      if (samples.length >= SAMPLES) continue;
      const value = (cells[i] ?? '').trim();
      if (value === '') continue;
      samples.push(value.length > MAX_SAMPLE ? `${value.slice(0, MAX_SAMPLE)}…` : value);
      if (samples.length === SAMPLES) this.hungry--;
    }
  }

  build(missing: string[]): ImportPreview {
    return {
      encoding: this.csv.encoding,
      delimiter: this.csv.delimiter,
      line_ending: this.csv.lineEnding,
      header: this.csv.header,
      phone_column: this.plan.phone.primary.header,
      phone_column_reason: this.plan.phone.reason,
      phone_columns: this.plan.phone.candidates.map((c) => c.header),
      columns: this.columns,
      leads: this.leads,
      missing_variables: missing,
    };
  }
}

/** `dropped`: a named column that is nothing (the mapping said null); `ignored`: no header, or errors.csv's `error`. */
function describeColumns(header: string[], plan: LeadColumns): PreviewColumn[] {
  const variables = new Map(plan.variables.map((v) => [v.index, v.key]));
  const fallbacks = new Set(plan.phone.candidates.slice(1).map((c) => c.index));
  return header.map((raw, index) => {
    const h = raw.trim();
    const variable = variables.get(index) ?? null;
    let role: ColumnRole;
    if (index === plan.phone.primary.index) role = 'phone';
    else if (index === plan.timezoneIndex) role = 'timezone';
    else if (fallbacks.has(index)) role = 'phone_fallback';
    else if (variable !== null) role = 'variable';
    else if (h === '' || (index === 0 && h.toLowerCase() === ERROR_COLUMN)) role = 'ignored';
    else role = 'dropped';
    return { header: h, variable, role, samples: [] };
  });
}
