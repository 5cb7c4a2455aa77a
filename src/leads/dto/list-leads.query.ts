import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import type { LeadStatus } from '../lead.entity';
import { LEAD_STATUSES } from '../lead-statuses';

const commaList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

export class ListLeadsQuery {
  @ApiPropertyOptional({
    type: String,
    example: 'pending,retry_scheduled',
    description: `Only leads in these statuses (comma-separated): ${LEAD_STATUSES.join(', ')}.`,
  })
  @IsOptional()
  @Transform(commaList)
  @ArrayMaxSize(LEAD_STATUSES.length)
  @IsIn(LEAD_STATUSES, {
    each: true,
    message: `status must list statuses among ${LEAD_STATUSES.join(', ')}`,
  })
  status?: LeadStatus[];

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100, description: 'Leads per page.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number between 1 and 1000' })
  @Min(1, { message: 'limit must be a whole number between 1 and 1000' })
  @Max(1000, { message: 'limit must be a whole number between 1 and 1000' })
  limit?: number;

  @ApiPropertyOptional({ description: 'The `next_cursor` of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
