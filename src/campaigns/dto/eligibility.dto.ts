import { ApiProperty } from '@nestjs/swagger';
import { JURISDICTION_IDS } from './compliance.dto';

export class HeldBackDto {
  @ApiProperty({
    example: 'holiday: Ascension (FR)',
    description: 'Why these leads wait (instants left out).',
  })
  reason: string;
  @ApiProperty({ type: 'integer' }) leads: number;
  @ApiProperty({
    format: 'date-time',
    description: 'The earliest instant the law and the window allow one of them.',
  })
  earliest_allowed_at: string;
}

export class IneligibleDto {
  @ApiProperty({ example: 'consent: no recorded consent for a consumer lead (FR-consent)' })
  reason: string;
  @ApiProperty({ type: 'integer' }) leads: number;
}

export class CallableDayDto {
  @ApiProperty({
    example: '2027-05-07',
    description: 'A day in the campaign’s time zone, today first.',
  })
  date: string;
  @ApiProperty({
    type: 'integer',
    description:
      'Waiting leads the law and the window allow at some moment of that day (as if nobody were called before).',
  })
  callable: number;
}

export class EligibilityDto {
  @ApiProperty({ format: 'date-time', description: 'When this was computed.' }) at: string;
  @ApiProperty({
    oneOf: [
      { type: 'string', enum: ['auto', 'none'] },
      { type: 'array', items: { type: 'string', enum: JURISDICTION_IDS } },
    ],
    description: 'The campaign’s compliance.rules.',
  })
  rules: 'auto' | 'none' | string[];
  @ApiProperty({
    type: 'integer',
    description: 'Leads waiting for a call (pending or retry_scheduled).',
  })
  waiting: number;
  @ApiProperty({ type: 'integer', description: 'Waiting leads evaluated one by one.' })
  evaluated: number;
  @ApiProperty({
    description:
      'true: more than 2,000 leads wait; every k-th was evaluated and the counts scaled up.',
  })
  sampled: boolean;
  @ApiProperty({ type: 'integer', description: 'Waiting leads that may be called right now.' })
  callable_now: number;
  @ApiProperty({
    type: [HeldBackDto],
    description: 'Waiting leads that may not be called now, by reason.',
  })
  held_back: HeldBackDto[];
  @ApiProperty({
    type: [IneligibleDto],
    description:
      'Leads the law forbids calling at all: already ineligible, or would be at their claim.',
  })
  ineligible: IneligibleDto[];
  @ApiProperty({ type: [CallableDayDto], description: 'The next 7 days.' }) days: CallableDayDto[];
}
