import { ApiProperty } from '@nestjs/swagger';
import { LeadDto } from './lead.dto';

/** One call attempt of a lead, as the engine recorded it. */
export class LeadAttemptDto {
  @ApiProperty({ type: 'integer', example: 1 }) attempt_number: number;
  @ApiProperty({
    example: 'ended',
    description: 'Where the attempt is: starting, ambiguous, live, ended, not_dialled.',
  })
  state: string;
  @ApiProperty({ type: String, nullable: true }) call_id: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The platform status.' })
  call_status: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'completed, missed, failed, unknown.',
  })
  outcome: string | null;
  @ApiProperty({ example: '+33912345678' }) from_number: string;
  @ApiProperty({ format: 'date-time' }) requested_at: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) started_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) ended_at: string | null;
  @ApiProperty({ type: Number, nullable: true }) duration_seconds: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'As the platform billed it.' })
  cost: number | null;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    description: 'The answers to the agent’s post-call questions, by question name.',
  })
  answers: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the attempt failed.' })
  error: string | null;
}

export class LeadDetailDto extends LeadDto {
  @ApiProperty({ type: [LeadAttemptDto], description: 'Every attempt, first first.' })
  attempts_detail: LeadAttemptDto[];
}
