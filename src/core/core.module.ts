import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import {
  CLOCK,
  defaultWorkerTuning,
  Runtime,
  RUNTIME,
  WEBHOOK_TUNING,
  webhookTuning,
  WORKER_TUNING,
} from './runtime';

/** Makes the resolved runtime, configuration, clock and the loops' tunings injectable everywhere. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(runtime: Runtime): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: RUNTIME, useValue: runtime },
        { provide: AppConfig, useValue: runtime.config },
        { provide: CLOCK, useValue: runtime.clock },
        { provide: WORKER_TUNING, useValue: { ...defaultWorkerTuning, ...runtime.worker } },
        { provide: WEBHOOK_TUNING, useValue: webhookTuning(runtime.webhooks) },
      ],
      exports: [RUNTIME, AppConfig, CLOCK, WORKER_TUNING, WEBHOOK_TUNING],
    };
  }
}
