import { ApiProperty } from '@nestjs/swagger';

export class TranscriptLineDto {
  @ApiProperty({ example: 'agent', description: 'Who spoke, as the platform names it.' })
  role: string;
  @ApiProperty({ type: String, nullable: true, description: 'When, as the platform gives it.' })
  start_time: string | null;
  @ApiProperty({ example: 'Bonjour, ici Claire de Salons Pro.' }) content: string;
}

/** A call's transcript, read from the platform when asked (never stored here). */
export class CallTranscriptDto {
  @ApiProperty({ format: 'uuid' }) call_id: string;
  @ApiProperty({ example: 'completed', description: 'The platform status of the call now.' })
  call_status: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The whole conversation as one text; null when the platform has none.',
  })
  transcript_string: string | null;
  @ApiProperty({ type: [TranscriptLineDto], description: 'Line by line; empty when none.' })
  transcript: TranscriptLineDto[];
}
