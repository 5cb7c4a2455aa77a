import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class ErasePersonDto {
  @ApiProperty({ example: '+33612345678', description: 'The person’s number, E.164.' })
  @IsString()
  @MaxLength(40)
  phone: string;
}

export class ExportPersonQuery {
  @ApiProperty({ example: '+33612345678', description: 'The person’s number, E.164 (+ as %2B).' })
  @IsString()
  @MaxLength(40)
  phone: string;
}

export class ErasureResultDto {
  @ApiProperty({ example: '+33612345678' }) phone: string;
  @ApiProperty({ description: 'Leads whose phone, variables and answers were removed.' })
  leads_erased: number;
  @ApiProperty({
    description: 'Campaigns those leads belonged to (their totals keep counting them).',
  })
  campaigns: number;
  @ApiProperty({ description: 'Call attempts whose number and answers were removed.' })
  call_attempts_erased: number;
  @ApiProperty({ description: 'CRM events not yet delivered, removed (they will never be sent).' })
  webhook_events_removed: number;
  @ApiProperty({ description: 'Delivered CRM events whose stored payload was emptied.' })
  webhook_events_emptied: number;
  @ApiProperty({
    enum: ['added', 'already_listed'],
    description:
      'The number stays on the do-not-call list (reason `erased`): the one thing kept, so it is never called again.',
  })
  do_not_call: 'added' | 'already_listed';
}

export class PersonExportDto {
  @ApiProperty({ example: '+33612345678' }) phone: string;
  @ApiProperty({ format: 'date-time' }) exported_at: string;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    description: 'The do-not-call entry: `{reason, created_at}`, or null.',
  })
  do_not_call: { reason: string | null; created_at: string } | null;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description:
      'Every lead with this number, in every campaign: campaign, status, variables, answers, verdict and each call attempt.',
  })
  leads: Record<string, unknown>[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'The CRM events about those leads, with the data they carry.',
  })
  webhook_events: Record<string, unknown>[];
}
