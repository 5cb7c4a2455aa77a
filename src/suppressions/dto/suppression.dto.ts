import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '../../common/page-query';

export class SuppressionErrorDto {
  @ApiPropertyOptional({
    type: 'integer',
    example: 2,
    description: 'JSON form: position of the number in `phones` (from 0).',
  })
  index?: number;
  @ApiPropertyOptional({
    type: 'integer',
    example: 5,
    description: 'CSV form: row as a spreadsheet shows it (header = 1).',
  })
  row?: number;
  @ApiPropertyOptional({
    example: 'phone',
    description: 'CSV form: header of the column at fault.',
  })
  column?: string;
  @ApiProperty({ example: '"12" is too short for FR' })
  message: string;
}

/** received = added + already_suppressed + duplicates + rejected. */
export class AddSuppressionsResultDto {
  @ApiProperty({
    type: 'integer',
    description: 'Numbers (JSON) or data rows (CSV, blank rows excluded) received.',
  })
  received: number;
  @ApiProperty({ type: 'integer', description: 'Numbers newly put on the list.' }) added: number;
  @ApiProperty({ type: 'integer', description: 'Numbers that were already on the list.' })
  already_suppressed: number;
  @ApiProperty({ type: 'integer', description: 'Repeats of a number earlier in the same request.' })
  duplicates: number;
  @ApiProperty({
    type: 'integer',
    description: 'Entries that are not valid phone numbers (see errors).',
  })
  rejected: number;
  @ApiProperty({
    type: 'integer',
    description:
      'Leads waiting to be called (pending or retry_scheduled), in any campaign, now marked suppressed.',
  })
  leads_suppressed: number;
  @ApiProperty({ type: [SuppressionErrorDto], description: 'The first 1,000 errors.' })
  errors: SuppressionErrorDto[];
  @ApiProperty({ type: 'integer' }) error_count: number;
}

export class SuppressionDto {
  @ApiProperty({ example: '+33612345678', description: 'E.164.' }) phone: string;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({
    type: 'object',
    nullable: true,
    properties: {
      campaign_id: { type: 'string', format: 'uuid' },
      call_id: { type: 'string', nullable: true },
    },
    description:
      'Where the entry came from when a call added it (an opt-out answer): the campaign and the call. Null when added by hand or file.',
  })
  source: { campaign_id: string; call_id: string | null } | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class SuppressionPageDto {
  @ApiProperty({ type: [SuppressionDto], description: 'Ordered by phone.' }) data: SuppressionDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last.',
  })
  next_cursor: string | null;
}

export class ListSuppressionsQuery extends PageQuery({
  max: 1000,
  default: 100,
  items: 'Numbers',
}) {
  @ApiPropertyOptional({
    example: '0612',
    description:
      'Only numbers containing these digits (a leading 0 of a national number is matched without it) or whose reason contains this text.',
  })
  @IsOptional()
  @IsString({ message: 'search must be text' })
  @MaxLength(100, { message: 'search must be at most 100 characters' })
  search?: string;
}
