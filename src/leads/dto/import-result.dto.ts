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

/** The answer to a lead upload (201). rows = accepted + rejected + duplicates + suppressed. */
export class ImportResultDto {
  @ApiProperty({ format: 'uuid', description: 'See GET /v1/campaigns/{id}/imports/{import_id}.' })
  import_id: string;
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
  @ApiProperty({ example: 'Téléphone', description: 'The header used as the phone column.' })
  phone_column: string;
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
