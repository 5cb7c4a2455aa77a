import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CampaignView } from '../../campaigns/campaign.view';
import { QUESTION_KINDS } from '../../qualification/question-kind';

const COUNTS = { type: 'object', additionalProperties: { type: 'integer' } } as const;

export class CallsSummaryDto {
  @ApiProperty({ type: 'integer', description: 'Platform calls created for the campaign.' })
  total: number;
  @ApiProperty({
    ...COUNTS,
    description: 'Calls by outcome (completed, missed, failed, unknown…).',
  })
  by_outcome: Record<string, number>;
}

export class QuestionDistributionDto {
  @ApiProperty() name: string;
  @ApiProperty({ enum: QUESTION_KINDS, nullable: true, type: String }) type: string | null;
  @ApiProperty({ type: 'integer', description: 'Leads whose last completed call answered it.' })
  answered: number;
  @ApiProperty({
    type: 'integer',
    description: 'Leads with answers on record that left it unanswered.',
  })
  no_answer: number;
  @ApiPropertyOptional({
    ...COUNTS,
    description:
      'boolean: `true`/`false`; single or multiple choice: per option value (every option listed, zeros included).',
  })
  counts?: Record<string, number>;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'number questions.' })
  min?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'number questions.' })
  mean?: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'number questions.' })
  max?: number | null;
}

export class ReportSummaryDto {
  @ApiProperty({ type: 'integer', description: 'All leads of the campaign.' }) leads: number;
  @ApiProperty({
    type: 'integer',
    description: 'Leads with at least one attempt that created a platform call.',
  })
  dialled: number;
  @ApiProperty({ type: 'integer', description: 'Leads with at least one completed call.' })
  reached: number;
  @ApiProperty({
    type: 'integer',
    description: 'Leads whose rules held on their last completed call.',
  })
  qualified: number;
  @ApiProperty({ type: 'integer', description: 'Reached leads whose rules did not hold.' })
  not_qualified: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'qualified ÷ reached (0..1); null before anyone was reached.',
  })
  qualification_rate: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'reached ÷ dialled (0..1).' })
  reach_rate: number | null;
  @ApiProperty({ description: "Sum of every call's cost (platform account currency)." })
  total_cost: number;
  @ApiProperty({ description: "Sum of every call's duration." }) total_duration_seconds: number;
  @ApiProperty({
    ...COUNTS,
    description:
      "Leads by their last call's outcome; `not_called` for leads without a call, `in_progress` while one is live.",
  })
  by_outcome: Record<string, number>;
  @ApiProperty({ ...COUNTS, description: 'Leads by status.' }) by_status: Record<string, number>;
  @ApiProperty({ type: CallsSummaryDto }) calls: CallsSummaryDto;
  @ApiProperty({ type: [QuestionDistributionDto], description: 'Per question, the answers.' })
  questions: QuestionDistributionDto[];
}

export class ReportQuestionDto {
  @ApiProperty({ description: 'The question name: the answer key and the CSV column.' })
  name: string;
  @ApiProperty({ enum: QUESTION_KINDS, nullable: true, type: String }) type: string | null;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ type: [String], description: 'Option values of choice questions.' })
  options: string[];
}

export class ReportLeadDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '+33612345678' }) phone: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: "The lead's own columns.",
  })
  variables: Record<string, unknown>;
  @ApiProperty() status: string;
  @ApiProperty({ type: 'integer' }) attempts: number;
  @ApiProperty({ nullable: true, type: String }) last_call_id: string | null;
  @ApiProperty({ nullable: true, type: String }) last_call_status: string | null;
  @ApiProperty({ nullable: true, type: Number, description: "Over all the lead's calls." })
  duration_seconds: number | null;
  @ApiProperty({ nullable: true, type: Number, description: "Over all the lead's calls." })
  cost: number | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description:
      'Typed answers of the last completed call by question name: boolean, number, text, the chosen value, or a list of values; null when unanswered.',
  })
  answers: Record<string, unknown> | null;
  @ApiProperty({
    nullable: true,
    type: Boolean,
    description: 'null: never reached, or the campaign has no rules.',
  })
  qualified: boolean | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'holiday: Ascension (FR)',
    description: 'Why the lead waits or ended as it did (a holiday, a cap, a cool-down, no consent…).',
  })
  status_reason: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['consumer', 'business'] })
  contact_type: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'The recorded consent (file column consent_at).' })
  consent_at: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Where the consent was given (file column consent_source).' })
  consent_source: string | null;
}

export class CampaignReportDto {
  @ApiProperty({
    type: CampaignView,
    description: 'The campaign as GET /v1/campaigns/{id} shows it.',
  })
  campaign: CampaignView;
  @ApiProperty({ type: ReportSummaryDto }) summary: ReportSummaryDto;
  @ApiProperty({ type: [ReportQuestionDto] }) questions: ReportQuestionDto[];
  @ApiProperty({ type: [ReportLeadDto], description: 'One page of leads, in import order.' })
  leads: ReportLeadDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as `cursor` for the next page; null on the last one.',
  })
  next_cursor: string | null;
}
