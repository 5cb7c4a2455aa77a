import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsObject, IsOptional } from 'class-validator';
import type { ColumnMapping } from '../csv/header-mapping';
import { IsColumnMapping, parseMappingJson } from './mapping-rules';
import { CsvImportQuery } from './import-leads.query';

const toBoolean = ({ value }: { value: unknown }) => {
  if (value === 'true' || value === '1' || value === true) return true;
  if (value === 'false' || value === '0' || value === false) return false;
  return value;
};

/** How to read a lead file, and what to do with it (the do-not-call upload takes CsvImportQuery). */
export class LeadImportQuery extends CsvImportQuery {
  @ApiPropertyOptional({
    type: Boolean,
    description:
      'Read and validate the whole file exactly as an import would, store nothing (no lead, no import record, no lock kept) and answer the counts, the errors and a `preview`.',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'dry_run must be true or false' })
  dry_run?: boolean;

  @ApiPropertyOptional({
    type: String,
    example: '{"Société": "entreprise", "Notes internes": null, "Portable": "phone"}',
    description:
      'JSON `{"<header>": "<variable>" | null}`: renames a column’s variable, drops a column (null), or names the phone (`"phone"`) or time-zone (`"timezone"`) column. Also accepted as the multipart field `mapping`, sent before the file. A header the file does not have is a 400 naming it.',
  })
  @IsOptional()
  @Transform(parseMappingJson)
  @IsObject({ message: 'mapping must be a JSON object: {"<header>": "<variable>" | null}' })
  @IsColumnMapping()
  mapping?: ColumnMapping;
}
