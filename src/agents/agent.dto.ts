import { ApiProperty } from '@nestjs/swagger';

export class AgentQuestionDto {
  @ApiProperty({ example: 'interested' }) name: string;
  @ApiProperty({ example: 'boolean' }) type: string;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ type: [String], description: 'The choices of a choice question.' })
  options: string[];
}

export class AgentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Relance salons' }) name: string;
  @ApiProperty({ type: String, nullable: true, example: 'fr' }) language: string | null;
  @ApiProperty({
    type: [String],
    example: ['prenom', 'nom_du_salon'],
    description:
      'The variables the agent expects from each lead (those the platform fills in itself left out).',
  })
  variables: string[];
  @ApiProperty({ type: [AgentQuestionDto], description: 'Its active post-call questions.' })
  post_call_questions: AgentQuestionDto[];
}
