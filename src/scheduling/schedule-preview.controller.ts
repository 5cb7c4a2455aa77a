import { BadRequestException, Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { cronProblem, nextFireAfter } from '../common/cron';
import { CLOCK, type Clock } from '../core/runtime';
import { canonicalZone } from '../windows/time-zones';
import { SchedulePreviewDto, SchedulePreviewQuery } from './dto/schedule-preview.dto';

/** The next runs of a schedule before it is saved: the dashboard's schedule editor shows them. */
@ApiTags('campaigns')
@Controller('v1')
export class SchedulePreviewController {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  @Get('schedule-preview')
  @Roles('manager', 'viewer')
  @ApiOperation({
    summary: 'The next runs of a cron schedule in a time zone',
    description:
      'Reads the cron as a campaign schedule is read (5 fields, or 6 with seconds first, or a preset such as `@daily`) in the given zone, and answers its next runs. Stores nothing.',
  })
  @ApiOkResponse({ type: SchedulePreviewDto })
  @ApiBadRequestResponse({ description: 'Not a usable cron expression or time zone.' })
  preview(@Query() query: SchedulePreviewQuery): SchedulePreviewDto {
    const timezone = canonicalZone(query.timezone);
    if (!timezone) {
      throw new BadRequestException({
        message: `timezone: "${query.timezone}" is not an IANA time zone such as Europe/Paris`,
        details: [{ field: 'timezone', message: 'must be an IANA time zone such as Europe/Paris' }],
      });
    }
    const cron = query.cron.trim();
    const problem = cronProblem(cron, timezone);
    if (problem) {
      throw new BadRequestException({
        message: `cron: ${problem}`,
        details: [{ field: 'cron', message: problem }],
      });
    }
    const runs: Date[] = [];
    let after = this.clock.now();
    for (let i = 0; i < (query.count ?? 3); i++) {
      after = nextFireAfter(cron, timezone, after);
      runs.push(after);
    }
    return { cron, timezone, next_runs: runs.map((d) => d.toISOString()) };
  }
}
