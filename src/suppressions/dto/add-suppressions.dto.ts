import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { IsDefaultCountry } from '../../leads/dto/csv-field-rules';
import { CsvImportQuery } from '../../leads/dto/import-leads.query';

export const MAX_JSON_PHONES = 100_000;

/** JSON form of POST /v1/suppressions. */
export class AddSuppressionsDto {
  @ApiProperty({
    type: [String],
    example: ['+33612345678', '06 98 76 54 32'],
    description: `Numbers to put on the do-not-call list (1 to ${MAX_JSON_PHONES}); written as in a lead file.`,
  })
  @IsArray({ message: 'phones must be an array of phone numbers' })
  @ArrayNotEmpty({ message: 'phones must list at least one number' })
  @ArrayMaxSize(MAX_JSON_PHONES, {
    message: `phones must list at most ${MAX_JSON_PHONES} numbers per request`,
  })
  @IsString({ each: true, message: 'phones must hold strings' })
  @MaxLength(100, { each: true, message: 'each phone must be at most 100 characters' })
  phones: string[];

  @ApiPropertyOptional({
    example: 'asked not to be called',
    description: 'Why, kept with each number.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;

  @ApiPropertyOptional({
    example: 'FR',
    description: 'Country of numbers written without a country code.',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toUpperCase() : value,
  )
  @IsDefaultCountry()
  default_country?: string;
}

/** Query of POST /v1/suppressions when the body is a CSV. */
export class SuppressionsCsvQuery extends CsvImportQuery {
  @ApiPropertyOptional({
    example: 'opt-out by email',
    description: 'Reason for every number of the file (a `reason` column, when present, wins).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
