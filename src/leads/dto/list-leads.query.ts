import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/page-query';
import type { LeadStatus } from '../lead-statuses';
import { LEAD_STATUSES } from '../lead-statuses';

const commaList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

export class ListLeadsQuery extends PageQuery({ max: 1000, default: 100, items: 'Leads' }) {
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

  @ApiPropertyOptional({
    example: 'Zoé',
    description:
      'Only leads whose number contains these digits (a leading 0 of a national number is matched without it) or whose variables (a name, a salon…) contain this text.',
  })
  @IsOptional()
  @IsString({ message: 'search must be text' })
  @MaxLength(100, { message: 'search must be at most 100 characters' })
  search?: string;
}
