import {
  Controller,
  Get,
  NotFoundException,
  Param,
  Redirect,
  Req,
  Res,
  ServiceUnavailableException,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DashboardAssets } from './dashboard-assets.service';
import { Public } from '../auth/roles.decorator';
import { pickEncoding } from './static-assets';

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
  page(@Req() req: Request, @Res() res: Response): void {
    this.send(req, res, '');
  }

  @Get('app/*path')
  file(@Param('path') path: string | string[], @Req() req: Request, @Res() res: Response): void {
    this.send(req, res, Array.isArray(path) ? path.join('/') : path);
  }

  /** From memory, compressed when the browser accepts it; 304 when it has this very content. */
  private send(req: Request, res: Response, urlPath: string): void {
    if (!this.assets.installed) {
      throw new ServiceUnavailableException(
        'The dashboard files are not installed (public/dashboard is missing)',
      );
    }
    const asset = this.assets.find(urlPath);
    if (!asset) throw new NotFoundException(`No dashboard file /app/${urlPath}`);
    res.set({
      ...SECURITY_HEADERS,
      'Content-Type': asset.contentType,
      'Cache-Control': asset.cacheControl,
      ETag: asset.etag,
      Vary: 'Accept-Encoding',
    });
    const known = req.headers['if-none-match'];
    if (known && known.split(',').some((tag) => tag.trim().replace(/^W\//, '') === asset.etag)) {
      res.status(304).end();
      return;
    }
    const { body, encoding } = pickEncoding(asset, req.headers['accept-encoding']);
    if (encoding) res.set('Content-Encoding', encoding);
    res.set('Content-Length', String(body.length));
    res.status(200).end(req.method === 'HEAD' ? undefined : body);
  }
}
