import { Controller, Get, Inject, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { RUNTIME } from '../core/runtime';
import type { Runtime } from '../core/runtime';
import { Public } from '../auth/roles.decorator';

class PlatformHealth {
  @ApiProperty({
    enum: ['live', 'simulation'],
    description: 'simulation: calls go to the built-in simulator',
  })
  mode: string;
  @ApiProperty({ example: 'https://api.callrounded.com/v1' })
  url: string;
}

class HealthAnswer {
  @ApiProperty({ enum: ['ok', 'error'] })
  status: string;
  @ApiProperty({ enum: ['up', 'down'] })
  database: string;
  @ApiProperty({ type: PlatformHealth })
  platform: PlatformHealth;
  @ApiProperty({ enum: ['all', 'api', 'worker'] })
  role: string;
}

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(RUNTIME) private readonly runtime: Runtime,
  ) {}

  @Get()
  @ApiOkResponse({ type: HealthAnswer, description: 'The database answers' })
  @ApiServiceUnavailableResponse({
    type: HealthAnswer,
    description: 'The database does not answer',
  })
  async health(@Res() res: Response): Promise<void> {
    const up = await this.db.query('SELECT 1').then(
      () => true,
      () => false,
    );
    const body: HealthAnswer = {
      status: up ? 'ok' : 'error',
      database: up ? 'up' : 'down',
      platform: { mode: this.runtime.platform.mode, url: this.runtime.platform.baseUrl },
      role: this.runtime.config.APP_ROLE,
    };
    res.status(up ? 200 : 503).json(body);
  }
}
