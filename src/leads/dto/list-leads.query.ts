import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsOptional } from 'class-validator';
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
}
