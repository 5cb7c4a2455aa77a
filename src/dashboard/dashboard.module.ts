import { Module } from '@nestjs/common';
import { DashboardAssets } from './dashboard-assets.service';
import { DashboardController } from './dashboard.controller';

/** The web dashboard at /app (HTTP roles only). */
@Module({ controllers: [DashboardController], providers: [DashboardAssets] })
export class DashboardModule {}
