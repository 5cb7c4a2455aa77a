import {
  BadGatewayException,
  Controller,
  Get,
  NotFoundException,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../auth/roles.decorator';
import { CallRoundedClient, CallRoundedNotFoundError } from '../callrounded';
import { LeadTemplateQuery } from './dto/lead-template.query';
import { PLATFORM_VARIABLES } from './missing-variables';

/** The phone column's header in the template (one of the names the import recognises). */
const PHONE_HEADER = 'phone';

@ApiTags('leads')
@Controller('v1')
export class LeadTemplateController {
  constructor(private readonly platform: CallRoundedClient) {}

  @Get('lead-template.csv')
  @Roles('manager', 'viewer')
  @ApiOperation({
    summary: 'A lead file template for an agent',
    description:
      'A CSV with one header row: `phone`, then every variable the agent declares (except those the platform fills in: from_number, to_number, call_id, call_start_time). Fill it in and upload it to POST /v1/campaigns/{id}/leads.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The template (text/csv).', schema: { type: 'string' } })
  @ApiNotFoundResponse({ description: 'No such agent on the platform.' })
  @ApiBadGatewayResponse({ description: 'The platform could not be read.' })
  async template(@Query() query: LeadTemplateQuery, @Res() res: Response): Promise<void> {
    const names = await this.agentVariables(query.agent_id);
    const excel = query.excel === 'true' || query.excel === '1';
    const delimiter = excel ? ';' : ',';
    const line = [PHONE_HEADER, ...names].map((h) => csvCell(h, delimiter)).join(delimiter);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
    res.setHeader('Content-Disposition', 'attachment; filename="lead-template.csv"');
    res.setHeader('Cache-Control', 'no-store');
    res.send(`${excel ? '\ufeff' : ''}${line}\r\n`);
  }

  private async agentVariables(agentId: string): Promise<string[]> {
    try {
      const agent = await this.platform.getAgent(agentId);
      const platform = new Set([...PLATFORM_VARIABLES, PHONE_HEADER]);
      const names = agent.variables
        .map((v) => v.name)
        .filter((n): n is string => typeof n === 'string' && n !== '' && !platform.has(n));
      return [...new Set(names)];
    } catch (err) {
      if (err instanceof CallRoundedNotFoundError) {
        throw new NotFoundException(`Agent ${agentId} not found on the platform`);
      }
      throw new BadGatewayException(
        `Could not read agent ${agentId} from the platform: ${(err as Error).message}`,
      );
    }
  }
}

/** RFC 4180 quoting, only when needed. */
function csvCell(text: string, delimiter: string): string {
  return text.includes(delimiter) || /["\r\n]/.test(text)
    ? `"${text.replaceAll('"', '""')}"`
    : text;
}
