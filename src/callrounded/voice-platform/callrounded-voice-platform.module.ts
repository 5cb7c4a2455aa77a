import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { VOICE_PLATFORM } from '../../engine/platform/voice-platform.port';
import { CallRoundedClient } from '../callrounded.client';
import { CallRoundedVoicePlatform } from './callrounded-voice-platform';

/**
 * Binds the engine's VOICE_PLATFORM to CallRounded (the shared client of CallRoundedModule).
 * The composition root imports exactly one such platform module.
 */
@Global()
@Module({
  providers: [
    {
      provide: VOICE_PLATFORM,
      inject: [CallRoundedClient, AppConfig],
      useFactory: (client: CallRoundedClient, config: AppConfig) =>
        new CallRoundedVoicePlatform(client, config.extraTerminalStatuses),
    },
  ],
  exports: [VOICE_PLATFORM],
})
export class CallRoundedVoicePlatformModule {}
