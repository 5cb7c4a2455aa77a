import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { DELIMITER_NAMES } from '../csv/delimiter';
import { IsDefaultCountry, IsKnownEncoding } from './csv-field-rules';

const upper = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toUpperCase() : value;
const lower = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.length > 1 ? value.trim().toLowerCase() : value;

/** How to read an uploaded CSV (leads or do-not-call numbers); every option is detected when absent. */
export class CsvImportQuery {
  @ApiPropertyOptional({
    example: 'Portable',
    description:
      'Header of the phone column, matched ignoring case and accents; only that column is read. Default: chosen ' +
      'from the headers (and per-row type labels): a mobile column first, then a plain phone column, then fixed lines, ' +
      'never fax or pager; a lead import falls back, on a row where it is empty, to the next filled one (phone_column_reason).',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  phone_column?: string;

  @ApiPropertyOptional({
    enum: Object.keys(DELIMITER_NAMES),
    description:
      'Field delimiter: `,` `;` tab `|` (or comma, semicolon, tab, pipe). Default: sniffed from the header line.',
  })
  @IsOptional()
  @Transform(lower)
  @IsIn(Object.keys(DELIMITER_NAMES), {
    message: 'delimiter must be one of: comma (,), semicolon (;), tab, pipe (|)',
  })
  delimiter?: string;

  @ApiPropertyOptional({
    example: 'windows-1252',
    description:
      'Text encoding (utf-8, utf-16le, utf-16be, windows-1252, iso-8859-15, …). Default: detected (BOM, then strict UTF-8, else Windows-1252).',
  })
  @IsOptional()
  @IsKnownEncoding()
  encoding?: string;

  @ApiPropertyOptional({
    example: 'FR',
    description:
      'ISO 3166 country for numbers written without a country code (06 12 34 56 78). Default: the campaign’s default_country.',
  })
  @IsOptional()
  @Transform(upper)
  @IsDefaultCountry()
  default_country?: string;
}
