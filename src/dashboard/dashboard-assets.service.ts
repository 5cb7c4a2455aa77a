import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { join } from 'node:path';
import { buildAssetMap, DASHBOARD_DIR, findProjectRoot, type StaticAsset } from './static-assets';

/** The dashboard's files, found once at start-up: a missing folder is said in the log, not at each request. */
@Injectable()
export class DashboardAssets implements OnModuleInit {
  private readonly logger = new Logger(DashboardAssets.name);
  private assets = new Map<string, StaticAsset>();
  /** The content hash of this release's files, in their immutable URLs (/app/v/{version}/…). */
  version = '';

  onModuleInit(): void {
    const root = findProjectRoot();
    if (!root) {
      this.logger.warn(
        `Dashboard disabled: ${join(DASHBOARD_DIR, 'index.html')} not found next to the build or in ${process.cwd()}`,
      );
      return;
    }
    const built = buildAssetMap(root);
    this.assets = built.assets;
    this.version = built.version;
    if (!this.assets.has('vendor/chart.umd.min.js')) {
      this.logger.warn(
        'Dashboard charts disabled: node_modules/chart.js/dist/chart.umd.min.js not found',
      );
    }
  }

  get installed(): boolean {
    return this.assets.has('');
  }

  /** The asset at a URL path under /app ('' is the page itself); undefined for anything else. */
  find(urlPath: string): StaticAsset | undefined {
    return this.assets.get(urlPath);
  }
}
