import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, ValidateBy } from 'class-validator';
import { LEAD_STATUSES } from '../../leads/lead-statuses';

/** `none`, `all`, or a list of lead statuses. */
export type CloneLeads = 'none' | 'all' | string[];

function isCloneLeads(value: unknown): boolean {
  if (value === 'none' || value === 'all') return true;
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.length <= LEAD_STATUSES.length &&
    value.every((s) => typeof s === 'string' && (LEAD_STATUSES as readonly string[]).includes(s))
  );
}

export class CloneCampaignDto {
  @ApiProperty({ example: 'Relance salons décembre', maxLength: 200 })
  @IsString()
  @Matches(/\S/, { message: 'name must not be blank' })
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({
    oneOf: [
      { type: 'string', enum: ['none', 'all'] },
      { type: 'array', items: { type: 'string', enum: [...LEAD_STATUSES] } },
    ],
    example: ['exhausted', 'failed'],
    description:
      'Which leads to copy as fresh `pending` leads (attempts, answers and verdicts reset): `none` (default), `all`, or those in the statuses listed (e.g. the ones never reached). A copied number now on the do-not-call list is `suppressed`.',
  })
  @IsOptional()
  @ValidateBy({
    name: 'isCloneLeads',
    validator: {
      validate: isCloneLeads,
      defaultMessage: () =>
        `leads must be "none", "all" or a list of lead statuses among ${LEAD_STATUSES.join(', ')}`,
    },
  })
  leads?: CloneLeads;
}
