import {
  BadGatewayException,
  BadRequestException,
  Controller,
  Get,
  NotFoundException,
  Param,
  ParseUUIDPipe,
} from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { CallRoundedClient, CallRoundedNotFoundError } from '../callrounded';
import { PLATFORM_VARIABLES } from '../leads/missing-variables';
import { QuestionsService } from '../qualification/questions.service';
import { AgentDto } from './agent.dto';

function agentIdPipe(): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () =>
      new BadRequestException({
        message: 'agent_id must be the UUID of a CallRounded agent',
        details: [{ field: 'agent_id', message: 'must be the UUID of a CallRounded agent' }],
      }),
  });
}

/** A platform agent as a campaign uses it: checked when the dashboard's form is filled in. */
@ApiTags('campaigns')
@Controller('v1/agents')
export class AgentsController {
  constructor(
    private readonly platform: CallRoundedClient,
    private readonly questions: QuestionsService,
  ) {}

  @Get(':agentId')
  @Roles('manager', 'viewer')
  @ApiOperation({
    summary: 'A CallRounded agent: its name, expected variables and post-call questions',
  })
  @ApiOkResponse({ type: AgentDto })
  @ApiBadRequestResponse({ description: 'Not a UUID.' })
  @ApiNotFoundResponse({ description: 'The platform does not know this agent (its own words).' })
  @ApiBadGatewayResponse({ description: 'The platform could not be read.' })
  async get(@Param('agentId', agentIdPipe()) agentId: string): Promise<AgentDto> {
    let agent;
    try {
      agent = await this.platform.getAgent(agentId);
    } catch (err) {
      if (err instanceof CallRoundedNotFoundError) {
        throw new NotFoundException({
          message: `agent_id: ${err.platformMessage ?? 'Agent not found'} (CallRounded)`,
          details: [
            {
              field: 'agent_id',
              message: `${err.platformMessage ?? 'Agent not found'} (CallRounded)`,
            },
          ],
        });
      }
      throw new BadGatewayException(`Could not read agent ${agentId} from CallRounded`);
    }
    const platform = new Set(PLATFORM_VARIABLES);
    const questions = (await this.questions.fetchQuestions(agentId)) ?? [];
    const optionText = (o: unknown): string => {
      if (typeof o === 'string') return o;
      const value = (o as { value?: unknown } | null)?.value;
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : '';
    };
    return {
      id: agentId,
      name: typeof agent.name === 'string' ? agent.name : agentId,
      language: typeof agent.language === 'string' ? agent.language : null,
      variables: [
        ...new Set(
          agent.variables
            .map((v) => v.name)
            .filter((n): n is string => typeof n === 'string' && n !== '' && !platform.has(n)),
        ),
      ],
      post_call_questions: questions.map((q) => ({
        name: q.name,
        type: typeof q.type === 'string' ? q.type : 'text',
        description: typeof q.description === 'string' ? q.description : null,
        options: Array.isArray(q.options) ? q.options.map(optionText) : [],
      })),
    };
  }
}
