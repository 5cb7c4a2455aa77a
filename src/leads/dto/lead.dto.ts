import { ApiProperty } from '@nestjs/swagger';
import { LEAD_STATUSES } from '../lead-statuses';

export class LeadDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '+33612345678', description: 'E.164.' }) phone: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { prenom: 'Zoé', nom_de_l_entreprise: 'Boulangerie Noël' },
    description:
      'The file’s other columns, by snake_case header; sent as dynamic_variables_values.',
  })
  variables: Record<string, string>;
  @ApiProperty({ enum: LEAD_STATUSES }) status: string;
  @ApiProperty({ type: 'integer' }) attempts: number;
  @ApiProperty({ type: String, nullable: true }) last_call_id: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The platform status of the last call.',
  })
  last_call_status: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) next_attempt_at:
    string | null;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'null until a completed call was judged.',
  })
  qualified: boolean | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Last outcome: completed, missed, failed, unknown.',
  })
  outcome: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why the lead waits or ended as it did.',
  })
  status_reason: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['consumer', 'business'],
    description:
      'From the file’s contact_type column; null: the campaign’s compliance.contact_type.',
  })
  contact_type: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the person consented to be called (file column consent_at).',
  })
  consent_at: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Where the consent was given (file column consent_source).',
  })
  consent_source: string | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Row in the uploaded file (header = 1).',
  })
  row_number: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'IANA zone from the file’s timezone column.',
  })
  timezone: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) import_id: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
}

export class LeadPageDto {
  @ApiProperty({ type: [LeadDto], description: 'In import order.' }) data: LeadDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last.',
  })
  next_cursor: string | null;
}
