import {
  Controller,
  Get,
  NotFoundException,
  Param,
  Redirect,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { errorBody } from '../common/error-body';
import { DashboardAssets } from './dashboard-assets.service';
import { Public } from '../auth/roles.decorator';

/**
 * The page is public: it holds no data, and every call it makes to /v1 carries the key the user
 * types. The policy below keeps anything but our own scripts from running next to that key.
 */
const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/** Serves the marketing dashboard: a static single-page app at /app that uses the /v1 API. */
@ApiExcludeController()
@Public()
@Controller()
export class DashboardController {
  constructor(private readonly assets: DashboardAssets) {}

  @Get()
  @Redirect('/app', 302)
  home(): void {}

  @Get('app')
  page(@Res() res: Response): void {
    this.send(res, '');
  }

  @Get('app/*path')
  file(@Param('path') path: string | string[], @Res() res: Response): void {
    this.send(res, Array.isArray(path) ? path.join('/') : path);
  }

  private send(res: Response, urlPath: string): void {
    if (!this.assets.installed) {
      throw new ServiceUnavailableException(
        'The dashboard files are not installed (public/dashboard is missing)',
      );
    }
    const asset = this.assets.find(urlPath);
    if (!asset) throw new NotFoundException(`No dashboard file /app/${urlPath}`);
    res.sendFile(
      asset.file,
      {
        cacheControl: false,
        headers: {
          ...SECURITY_HEADERS,
          'Content-Type': asset.contentType,
          'Cache-Control': asset.cacheControl,
        },
      },
      (err) => {
        // A client that went away mid-file is not an error; a file gone since start-up is a 404.
        if (err && !res.headersSent)
          res.status(404).json(errorBody(404, `No dashboard file /app/${urlPath}`));
      },
    );
  }
}
