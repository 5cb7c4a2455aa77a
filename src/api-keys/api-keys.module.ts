import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AccessCatalog } from './access-catalog';
import { ApiKeyAdminService } from './api-key-admin.service';
import { ApiKeysController } from './api-keys.controller';
import { MeController } from './me.controller';

/**
 * `/v1/api-keys`: the keys an admin hands out, and `/v1/me`: who a key is and what it may call
 * (authentication itself lives in auth/).
 */
@Module({
  imports: [DiscoveryModule],
  controllers: [ApiKeysController, MeController],
  providers: [ApiKeyAdminService, AccessCatalog],
})
export class ApiKeysModule {}
