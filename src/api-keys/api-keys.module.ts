import { Module } from '@nestjs/common';
import { ApiKeyAdminService } from './api-key-admin.service';
import { ApiKeysController } from './api-keys.controller';

/** `/v1/api-keys`: the keys an admin hands out (authentication itself lives in auth/). */
@Module({
  controllers: [ApiKeysController],
  providers: [ApiKeyAdminService],
})
export class ApiKeysModule {}
