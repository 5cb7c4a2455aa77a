import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../common/page-query';
import { LEAD_STATUSES, type LeadStatus } from '../../leads/lead-statuses';

/** `?status=completed,exhausted` or `?status=completed&status=exhausted`. */
const toList = ({ value }: { value: unknown }) =>
  value === undefined
    ? undefined
    : ([] as unknown[])
        .concat(value)
        .flatMap((v) => String(v).split(','))
        .map((s) => s.trim())
        .filter(Boolean);

/** The filters the JSON report, the CSV and the XLSX share. */
export class ReportFilterQuery {
  @ApiPropertyOptional({
    enum: ['true', 'false', 'null'],
    description:
      'Only qualified leads (`true`), only reached leads whose rules did not hold (`false`), or leads with no verdict (`null`: never reached, or the campaign has no rules).',
  })
  @IsOptional()
  @IsIn(['true', 'false', 'null'], { message: 'qualified must be true, false or null' })
  qualified?: 'true' | 'false' | 'null';

  @ApiPropertyOptional({
    type: String,
    example: 'completed,exhausted',
    description: `Only leads in these statuses, comma-separated: ${LEAD_STATUSES.join(', ')}.`,
  })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @IsIn(LEAD_STATUSES, { each: true, message: `status must be among: ${LEAD_STATUSES.join(', ')}` })
  status?: LeadStatus[];
}

export class ReportPageQuery extends IntersectionType(
  ReportFilterQuery,
  PageQuery({ max: 1000, default: 100, items: 'Leads' }),
) {}

export class ReportCsvQuery extends ReportFilterQuery {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'false',
    description:
      'For Excel with a `;` list separator (French and most European locales): UTF-8 BOM, `;` between fields, decimal comma.',
  })
  @IsOptional()
  @IsIn(['true', 'false', '1', '0'], { message: 'excel must be true or false' })
  excel?: string;
}
