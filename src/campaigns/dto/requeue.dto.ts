import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
} from 'class-validator';
import { CampaignView } from '../campaign.view';
import { MAX_ATTEMPTS_LIMIT } from './campaign-controls.dto';
import { IsDateTimeOrNull } from './field-rules';

/** The final statuses of leads that were not reached, which a requeue may call again. */
export const REQUEUE_STATUSES = ['failed', 'exhausted', 'expired'] as const;
export type RequeueStatus = (typeof REQUEUE_STATUSES)[number];

export class RequeueDto {
  @ApiProperty({
    enum: REQUEUE_STATUSES,
    isArray: true,
    example: ['exhausted', 'failed'],
    description:
      'Leads in these statuses go back to the queue. Completed and suppressed leads never do; the do-not-call list is checked again at each claim.',
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'statuses must list at least one status' })
  @ArrayUnique({ message: 'statuses must not repeat a status' })
  @IsIn(REQUEUE_STATUSES, {
    each: true,
    message: `statuses must list statuses among ${REQUEUE_STATUSES.join(', ')}`,
  })
  statuses: RequeueStatus[];

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: MAX_ATTEMPTS_LIMIT,
    example: 1,
    description:
      'Calls each lead may get beyond those it had: its attempt limit becomes its attempts + this (used while the retry policy retries its calls’ outcome).',
  })
  @IsInt()
  @Min(1)
  @Max(MAX_ATTEMPTS_LIMIT)
  extra_attempts: number;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'A new end date for the campaign (in the future), or null to remove it. Needed when the current one has passed.',
  })
  @IsOptional()
  @IsDateTimeOrNull()
  ends_at?: string | null;
}

/** `POST …/leads/{leadId}/requeue`: one lead, in whichever requeue status it is. */
export class LeadRequeueDto extends PickType(RequeueDto, ['extra_attempts'] as const) {}

export class RequeueResult {
  @ApiProperty({ type: 'integer', description: 'Leads put back in the queue.' }) moved: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { exhausted: 12, failed: 3 },
    description: 'Leads moved, by the status they had.',
  })
  by_status: Record<string, number>;
  @ApiProperty({ type: CampaignView, description: 'The campaign after the requeue.' })
  campaign: CampaignView;
}
