import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';

export class RowErrorDto {
  @ApiProperty({
    type: 'integer',
    example: 7,
    description: 'Row number as a spreadsheet shows it (the header is row 1).',
  })
  row: number;
  @ApiProperty({
    example: 'Téléphone',
    description: 'Header of the column at fault, as written in the file.',
  })
  column: string;
  @ApiProperty({ example: '"+33 6 12" is too short for FR' })
  message: string;
}

export class IgnoredRowDto {
  @ApiProperty({ example: 14 }) row: number;
  @ApiProperty({ example: 'Grand Totals (12 records)', description: 'Its non-empty cells.' })
  text: string;
}

export class PreviewColumnDto {
  @ApiProperty({ example: 'Prénom' }) header: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'prenom',
    description: 'The variable it becomes (null: not sent to the agent).',
  })
  variable: string | null;
  @ApiProperty({
    enum: ['phone', 'phone_fallback', 'timezone', 'variable', 'dropped', 'ignored'],
    description:
      '`phone_fallback`: tried when the phone column is empty on a row (and also a variable); `dropped`: the mapping said null; `ignored`: no header.',
  })
  role: string;
  @ApiProperty({ type: [String], description: 'Its first three non-empty values.' })
  samples: string[];
}

export class PreviewLeadDto {
  @ApiProperty({ example: 2 }) row: number;
  @ApiProperty({ example: '+33612345678' }) to_number: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Exactly what the call would send: the campaign’s variables, then the lead’s.',
  })
  dynamic_variables_values: Record<string, unknown>;
}

export class ImportPreviewDto {
  @ApiProperty({ example: 'windows-1252' }) encoding: string;
  @ApiProperty({ example: ';' }) delimiter: string;
  @ApiProperty({ type: String, nullable: true, enum: ['CRLF', 'LF', 'CR'] }) line_ending:
    string | null;
  @ApiProperty({ type: [String], description: 'The header row (row 1), as read.' })
  header: string[];
  @ApiProperty() phone_column: string;
  @ApiProperty() phone_column_reason: string;
  @ApiProperty({
    type: [String],
    description: 'Every phone column, in the order each row tries them.',
  })
  phone_columns: string[];
  @ApiProperty({ type: [PreviewColumnDto], description: 'Every column, in file order.' })
  columns: PreviewColumnDto[];
  @ApiProperty({ type: [PreviewLeadDto], description: 'The first five leads.' })
  leads: PreviewLeadDto[];
  @ApiProperty({ type: [String] }) missing_variables: string[];
}

/** The answer to a lead upload (201). rows = accepted + rejected + duplicates + suppressed. */
export class ImportResultDto {
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'See GET /v1/campaigns/{id}/imports/{import_id}. null for a dry run (nothing stored).',
  })
  import_id: string | null;
  @ApiPropertyOptional({ description: 'true when `dry_run=true`: nothing was stored.' })
  dry_run?: boolean;
  @ApiPropertyOptional({
    type: ImportPreviewDto,
    description: 'A dry run only: how the file was read and what its leads would be.',
  })
  preview?: ImportPreviewDto;
  @ApiProperty({
    type: 'integer',
    example: 1200,
    description: 'Data rows read: the header and blank rows are not counted.',
  })
  rows: number;
  @ApiProperty({ type: 'integer', example: 1150, description: 'New leads added as `pending`.' })
  accepted: number;
  @ApiProperty({
    type: 'integer',
    example: 20,
    description: 'Rows with an error (see errors); not added.',
  })
  rejected: number;
  @ApiProperty({
    type: 'integer',
    example: 25,
    description:
      'Valid rows whose number is already a lead of this campaign or appears earlier in the file; not added.',
  })
  duplicates: number;
  @ApiProperty({
    type: 'integer',
    example: 5,
    description:
      'New leads whose number is on the do-not-call list: added with status `suppressed`, never dialled.',
  })
  suppressed: number;
  @ApiProperty({ type: [RowErrorDto], description: 'The first 1,000 row errors, in file order.' })
  errors: RowErrorDto[];
  @ApiProperty({
    type: 'integer',
    example: 20,
    description: 'How many row errors there were in all.',
  })
  error_count: number;
  @ApiProperty({
    type: 'integer',
    example: 3,
    description: 'Blank rows (numbered, but neither leads nor errors).',
  })
  blank_rows: number;
  @ApiProperty({
    type: [IgnoredRowDto],
    description:
      'Lines after the data that are not records (a report footer such as "Grand Totals" or "Confidential", a lone note): neither leads nor errors, and not counted in rows.',
  })
  ignored_rows: IgnoredRowDto[];
  @ApiProperty({
    type: [String],
    example: ['company_size'],
    description:
      'Variables the campaign’s agent declares that neither the file, the campaign’s variables nor the platform (from_number, to_number, call_id, call_start_time) supply. A warning: the calls still happen.',
  })
  missing_variables: string[];
  @ApiPropertyOptional({
    type: [String],
    description: 'Things worth knowing that did not stop the import.',
  })
  warnings?: string[];
  @ApiProperty({
    example: 'Mobile Phone',
    description:
      'The header of the phone column tried first on each row (see phone_column_reason; a lead whose number came from another column says so in its phone_source variable).',
  })
  phone_column: string;
  @ApiProperty({
    example:
      '"Mobile Phone": its header says mobile; on a row where it is empty, the next filled of "Business Phone", "Home Phone" (the lead\'s phone_source says which); never dialled: "Business Fax"',
    description: 'Why that column, and which columns stand in for it when it is empty.',
  })
  phone_column_reason: string;
  @ApiProperty({ example: ';', description: 'The delimiter used.' })
  delimiter: string;
  @ApiProperty({ example: 'windows-1252', description: 'The encoding the file was read in.' })
  encoding: string;
}

export class LeadImportDto {
  @ApiProperty({ format: 'uuid' }) import_id: string;
  @ApiProperty({ format: 'uuid' }) campaign_id: string;
  @ApiProperty({ type: String, nullable: true, example: 'salon-novembre.csv' }) file_name:
    string | null;
  @ApiProperty({
    enum: ['completed', 'aborted', 'failed'],
    description:
      '`aborted`: the client left mid-upload; `failed`: a server error. Neither added any lead. A rejected upload (4xx) leaves no import.',
  })
  status: string;
  @ApiProperty({ type: 'integer' }) rows: number;
  @ApiProperty({ type: 'integer' }) accepted: number;
  @ApiProperty({ type: 'integer' }) rejected: number;
  @ApiProperty({ type: 'integer' }) duplicates: number;
  @ApiProperty({ type: 'integer' }) suppressed: number;
  @ApiProperty({ type: 'integer' }) blank_rows: number;
  @ApiProperty({
    type: 'integer',
    description: 'All row errors, even those past the first 1,000 listed.',
  })
  error_count: number;
  @ApiProperty({ type: [RowErrorDto], description: 'The first 1,000 row errors.' })
  errors: RowErrorDto[];
  @ApiProperty({ type: [String] }) missing_variables: string[];
  @ApiProperty({ type: [String] }) warnings: string[];
  @ApiProperty({ type: String, nullable: true }) phone_column: string | null;
  @ApiProperty({ type: String, nullable: true }) phone_column_reason: string | null;
  @ApiProperty({ type: [IgnoredRowDto] }) ignored_rows: IgnoredRowDto[];
  @ApiProperty({ type: String, nullable: true }) delimiter: string | null;
  @ApiProperty({ type: String, nullable: true }) encoding: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why an aborted or failed import stopped.',
  })
  failure: string | null;
  @ApiProperty({ format: 'date-time' }) started_at: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finished_at: string | null;
}

/** An import in a list: its record without the row errors (GET the import for those). */
export class LeadImportSummaryDto extends OmitType(LeadImportDto, ['errors'] as const) {}

export class LeadImportPageDto {
  @ApiProperty({ type: [LeadImportSummaryDto], description: 'Newest first.' })
  data: LeadImportSummaryDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last.',
  })
  next_cursor: string | null;
}
